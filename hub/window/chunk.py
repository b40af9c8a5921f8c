"""A chunk: a bounded run of one series' points, compactly encoded.

Values are float32 (4 bytes each). Timestamps are integer milliseconds encoded as the chunk's
first timestamp, its first step and one delta-of-delta per further point, in the narrowest
signed array type that holds them (1 byte for jitter under about ±60 ms). When a chunk is sealed
and its points turn out to be evenly spaced, the delta-of-delta array is dropped altogether.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate

# Signed array type codes, narrowest first, with the range each holds.
_WIDTHS: tuple[tuple[str, int, int], ...] = (
    ("b", -(2**7), 2**7 - 1),
    ("h", -(2**15), 2**15 - 1),
    ("i", -(2**31), 2**31 - 1),
    ("q", -(2**63), 2**63 - 1),
)


class Chunk:
    """Points with strictly increasing millisecond timestamps, appended in order.

    A chunk is open while it takes appends; ``seal`` compacts it and caches its aggregates.
    """

    __slots__ = (
        "_dd",
        "_dd_hi",
        "_dd_lo",
        "_last_delta",
        "_max",
        "_min",
        "_step0",
        "_sum",
        "end_ms",
        "start_ms",
        "values",
    )

    def __init__(self, ts_ms: int, value: float) -> None:
        self.start_ms = ts_ms
        self.end_ms = ts_ms
        self.values = array("f", (value,))
        self._step0 = 0
        self._last_delta = 0
        self._dd: array[int] | None = array("b")
        self._dd_lo, self._dd_hi = _WIDTHS[0][1], _WIDTHS[0][2]
        self._sum: float | None = None
        self._min = 0.0
        self._max = 0.0

    @classmethod
    def from_points(cls, ts_ms: Sequence[int], values: Sequence[float]) -> Chunk:
        """Build an open chunk from sorted, distinct timestamps and their values."""
        chunk = cls(ts_ms[0], values[0])
        for ts, value in zip(ts_ms[1:], values[1:], strict=True):
            chunk.append(ts, value)
        return chunk

    def __len__(self) -> int:
        return len(self.values)

    @property
    def sealed(self) -> bool:
        """Whether the chunk is compacted and takes no more appends."""
        return self._sum is not None

    def append(self, ts_ms: int, value: float) -> None:
        """Append a point newer than ``end_ms`` to an open chunk."""
        delta = ts_ms - self.end_ms
        if len(self.values) == 1:
            self._step0 = delta
        else:
            dd = delta - self._last_delta
            if not self._dd_lo <= dd <= self._dd_hi:
                self._widen(dd)
            assert self._dd is not None
            self._dd.append(dd)
        self._last_delta = delta
        self.end_ms = ts_ms
        self.values.append(value)

    def replace_last(self, value: float) -> None:
        """Overwrite the value of the newest point of an open chunk."""
        self.values[-1] = value

    def _widen(self, dd: int) -> None:
        for code, lo, hi in _WIDTHS:
            if lo <= dd <= hi:
                assert self._dd is not None
                self._dd = array(code, self._dd)
                self._dd_lo, self._dd_hi = lo, hi
                return
        raise OverflowError(f"timestamp step change {dd} ms does not fit in 64 bits")

    def seal(self) -> None:
        """Trim spare capacity, drop the timestamp array if evenly spaced, cache aggregates."""
        self.values = self.values[:]
        if self._dd is not None:
            self._dd = None if not any(self._dd) else self._dd[:]
        self._sum = sum(self.values)
        self._min = min(self.values)
        self._max = max(self.values)

    def timestamps(self) -> Sequence[int]:
        """Every point's timestamp in milliseconds, oldest first."""
        if len(self.values) == 1:
            return (self.start_ms,)
        if self._dd is None:
            return range(self.start_ms, self.end_ms + 1, self._step0)
        return list(accumulate(accumulate(self._dd, initial=self._step0), initial=self.start_ms))

    def bounds(self, ts: Sequence[int], lo_ms: int, hi_ms: int) -> tuple[int, int]:
        """Index range ``[i, j)`` of the points of ``ts`` inside ``[lo_ms, hi_ms]``."""
        i = 0 if lo_ms <= self.start_ms else bisect_left(ts, lo_ms)
        j = len(ts) if hi_ms >= self.end_ms else bisect_right(ts, hi_ms)
        return i, j

    def aggregates(self) -> tuple[float, float, float]:
        """Sum, minimum and maximum of all values."""
        if self._sum is not None:
            return self._sum, self._min, self._max
        return sum(self.values), min(self.values), max(self.values)

    def nbytes(self) -> int:
        """Bytes held by this chunk: the object, its arrays and its boxed numbers."""
        size = sys.getsizeof(self) + sys.getsizeof(self.values)
        if self._dd is not None:
            size += sys.getsizeof(self._dd)
        ints = (self.start_ms, self.end_ms, self._step0, self._last_delta)
        size += sum(sys.getsizeof(n) for n in ints if not -5 <= n <= 256)
        if self._sum is not None:
            size += 3 * sys.getsizeof(0.0)
        return size
