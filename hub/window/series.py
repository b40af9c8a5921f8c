"""One entity's points: an ordered list of chunks, the newest open for appends."""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from operator import attrgetter

from .chunk import Chunk

_START = attrgetter("start_ms")
_END = attrgetter("end_ms")


class Series:
    """Points of one entity in timestamp order, at most one per millisecond."""

    __slots__ = ("chunk_points", "chunks")

    def __init__(self, chunk_points: int) -> None:
        self.chunk_points = chunk_points
        self.chunks: list[Chunk] = []

    @property
    def last(self) -> tuple[int, float]:
        """The newest point as ``(ts_ms, value)``; the series must not be empty."""
        chunk = self.chunks[-1]
        return chunk.end_ms, chunk.values[-1]

    def append(self, ts_ms: int, value: float) -> None:
        """Add a point no older than the newest one; an equal timestamp replaces its value."""
        if not self.chunks:
            self.chunks.append(Chunk(ts_ms, value))
            return
        chunk = self.chunks[-1]
        if ts_ms == chunk.end_ms:
            chunk.replace_last(value)
        elif len(chunk) < self.chunk_points:
            chunk.append(ts_ms, value)
        else:
            chunk.seal()
            self.chunks.append(Chunk(ts_ms, value))

    def merge(self, points: Iterable[tuple[int, float]]) -> None:
        """Insert points at any position of a non-empty series; a point on an existing
        timestamp replaces its value, and the last of duplicates in ``points`` wins.

        Each chunk that receives points is decoded and rebuilt once, so a replayed batch costs
        O(points + chunk size x chunks touched).
        """
        groups: dict[int, dict[int, float]] = {}
        for ts_ms, value in points:
            index = max(bisect_right(self.chunks, ts_ms, key=_START) - 1, 0)
            groups.setdefault(index, {})[ts_ms] = value
        for index in sorted(groups, reverse=True):
            self.chunks[index : index + 1] = self._rebuild(index, groups[index])

    def _rebuild(self, index: int, incoming: dict[int, float]) -> list[Chunk]:
        chunk = self.chunks[index]
        merged = dict(zip(chunk.timestamps(), chunk.values.tolist(), strict=True))
        merged.update(incoming)
        ts = sorted(merged)
        values = [merged[t] for t in ts]
        size = self.chunk_points
        pieces = [
            Chunk.from_points(ts[i : i + size], values[i : i + size])
            for i in range(0, len(ts), size)
        ]
        # The newest chunk stays open for appends; every other piece is sealed.
        keep_open = pieces[-1] if index == len(self.chunks) - 1 else None
        for piece in pieces:
            if piece is not keep_open:
                piece.seal()
        return pieces

    def drop_before(self, cutoff_ms: int) -> int:
        """Release whole chunks whose newest point is older than ``cutoff_ms``; return points freed.

        Costs O(chunks released): points of a chunk straddling the cutoff stay in memory until
        the whole chunk is older, and readers hide them by clamping to the window's floor.
        """
        count = 0
        freed = 0
        for chunk in self.chunks:
            if chunk.end_ms >= cutoff_ms:
                break
            count += 1
            freed += len(chunk)
        del self.chunks[:count]
        return freed

    def overlapping(self, lo_ms: int, hi_ms: int) -> Iterator[Chunk]:
        """Chunks holding any timestamp in ``[lo_ms, hi_ms]``, oldest first."""
        first = bisect_right(self.chunks, lo_ms - 1, key=_END)
        for chunk in self.chunks[first:]:
            if chunk.start_ms > hi_ms:
                return
            yield chunk

    def select(self, lo_ms: int, hi_ms: int) -> tuple[list[int], array[float]]:
        """Timestamps (ms) and values of the points in ``[lo_ms, hi_ms]``."""
        ts_out: list[int] = []
        values_out = array("f")
        if lo_ms > hi_ms:
            return ts_out, values_out
        for chunk in self.overlapping(lo_ms, hi_ms):
            ts = chunk.timestamps()
            i, j = chunk.bounds(ts, lo_ms, hi_ms)
            ts_out.extend(ts[i:j])
            values_out.extend(chunk.values[i:j])
        return ts_out, values_out

    def nbytes(self) -> int:
        """Bytes held by this series and its chunks."""
        return (
            sys.getsizeof(self)
            + sys.getsizeof(self.chunks)
            + sum(chunk.nbytes() for chunk in self.chunks)
        )
