"""Summary statistics of a series over a time range."""

from __future__ import annotations

from dataclasses import dataclass

from .series import Series


@dataclass(frozen=True, slots=True)
class WindowStats:
    """Aggregates of the points of one entity inside a time range.

    Timestamps are seconds since the epoch. ``rate_per_s`` is the average rate of change,
    ``(last - first) / (last_ts - first_ts)``, and is ``None`` for a single point.
    """

    count: int
    mean: float
    min: float
    max: float
    first: float
    last: float
    first_ts: float
    last_ts: float
    rate_per_s: float | None

    @property
    def rate_per_h(self) -> float | None:
        """The average rate of change per hour."""
        return None if self.rate_per_s is None else self.rate_per_s * 3600.0


def series_stats(series: Series, lo_ms: int, hi_ms: int) -> WindowStats | None:
    """Aggregate the points of ``series`` in ``[lo_ms, hi_ms]``; ``None`` when there are none.

    Whole sealed chunks contribute their cached aggregates, so a 24 h range costs O(chunks)
    plus the two partly covered chunks at its ends.
    """
    if lo_ms > hi_ms:
        return None
    count = 0
    total = 0.0
    low = float("inf")
    high = float("-inf")
    first: tuple[int, float] | None = None
    last: tuple[int, float] = (0, 0.0)
    for chunk in series.overlapping(lo_ms, hi_ms):
        if lo_ms <= chunk.start_ms and chunk.end_ms <= hi_ms:
            n = len(chunk)
            chunk_sum, chunk_min, chunk_max = chunk.aggregates()
            head = (chunk.start_ms, chunk.values[0])
            tail = (chunk.end_ms, chunk.values[-1])
        else:
            ts = chunk.timestamps()
            i, j = chunk.bounds(ts, lo_ms, hi_ms)
            n = j - i
            if n <= 0:
                continue
            part = chunk.values[i:j]
            chunk_sum, chunk_min, chunk_max = sum(part), min(part), max(part)
            head = (ts[i], part[0])
            tail = (ts[j - 1], part[-1])
        count += n
        total += chunk_sum
        low = min(low, chunk_min)
        high = max(high, chunk_max)
        if first is None:
            first = head
        last = tail
    if first is None:
        return None
    span_s = (last[0] - first[0]) / 1000
    return WindowStats(
        count=count,
        mean=total / count,
        min=low,
        max=high,
        first=first[1],
        last=last[1],
        first_ts=first[0] / 1000,
        last_ts=last[0] / 1000,
        rate_per_s=(last[1] - first[1]) / span_s if span_s > 0 else None,
    )
