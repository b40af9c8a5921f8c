"""The telemetry window: recent history of every numeric entity, held in memory."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import timedelta

from .downsample import minmax_indices
from .series import Series
from .stats import WindowStats, series_stats

DEFAULT_SPAN = timedelta(hours=24)
DEFAULT_CHUNK_POINTS = 2048
_FLOAT32_MAX = 3.4028234663852886e38


_NO_FLOOR = -(2**62)


def _to_ms(ts: float) -> int:
    try:
        return round(ts * 1000)
    except (OverflowError, ValueError):
        raise ValueError(f"timestamp {ts!r} is not finite") from None


def _check_value(value: float) -> None:
    if not -_FLOAT32_MAX <= value <= _FLOAT32_MAX:
        raise ValueError(f"value {value!r} is not a finite float32")


class TelemetryWindow:
    """The last ``span`` of every numeric entity, for charts and analytics.

    Timestamps are seconds since the epoch, kept to the millisecond; values are kept as
    float32 (about 7 significant digits). Each entity holds at most one point per millisecond:
    a point on an existing timestamp replaces that point's value, so replays are idempotent.

    Points may arrive out of order (devices flushing offline buffers): a point older than the
    entity's newest is inserted at its place, rebuilding the one chunk it lands in. Points older
    than the window's floor (``now - span`` at the last :meth:`evict`) are refused.

    Memory is reclaimed only by :meth:`evict`, which the owner calls periodically. Not
    thread-safe: use it from the event loop only.
    """

    def __init__(
        self, span: timedelta = DEFAULT_SPAN, *, chunk_points: int = DEFAULT_CHUNK_POINTS
    ) -> None:
        if span <= timedelta(0):
            raise ValueError(f"span must be positive, got {span}")
        if chunk_points < 2:
            raise ValueError(f"chunk_points must be at least 2, got {chunk_points}")
        self._span_ms = _to_ms(span.total_seconds())
        self._chunk_points = chunk_points
        self._floor_ms = _NO_FLOOR
        self._series: dict[str, Series] = {}

    @property
    def span(self) -> timedelta:
        """How much history the window keeps."""
        return timedelta(milliseconds=self._span_ms)

    def add(self, entity_id: str, ts: float, value: float) -> bool:
        """Record one point; return ``False`` if it is older than the window and was dropped.

        Raises ``ValueError`` for a timestamp that is not finite or a value that is not a finite
        float32.
        """
        _check_value(value)
        ts_ms = _to_ms(ts)
        if ts_ms < self._floor_ms:
            return False
        series = self._series.get(entity_id)
        if series is None:
            series = self._series[entity_id] = Series(self._chunk_points)
        elif ts_ms < series.chunks[-1].end_ms:
            series.merge(((ts_ms, value),))
            return True
        series.append(ts_ms, value)
        return True

    def add_many(self, entity_id: str, points: Iterable[tuple[float, float]]) -> int:
        """Record a batch of ``(ts, value)`` points in any order; return how many were kept.

        Late points in the batch are merged with one rebuild per chunk they land in, which makes
        this the efficient way to take a replayed offline buffer. The last of several points on
        one timestamp wins. The batch is validated before anything is stored.
        """
        batch: list[tuple[int, float]] = []
        for ts, value in points:
            _check_value(value)
            batch.append((_to_ms(ts), value))
        floor = self._floor_ms
        batch = [point for point in batch if point[0] >= floor]
        if not batch:
            return 0
        batch.sort(key=lambda point: point[0])
        series = self._series.get(entity_id)
        if series is None:
            series = self._series[entity_id] = Series(self._chunk_points)
            newest = batch[0][0]
        else:
            newest = series.chunks[-1].end_ms
        split = 0
        while split < len(batch) and batch[split][0] < newest:
            split += 1
        if split:
            series.merge(batch[:split])
        for ts_ms, value in batch[split:]:
            series.append(ts_ms, value)
        return len(batch)

    def range(
        self, entity_id: str, start: float, end: float, max_points: int | None = None
    ) -> list[tuple[float, float]]:
        """Points ``(ts, value)`` with ``start <= ts <= end``, oldest first.

        With ``max_points``, at most that many points are returned, keeping each bucket's
        minimum and maximum so peaks survive (see :func:`minmax_indices`).
        """
        series = self._series.get(entity_id)
        if series is None:
            return []
        ts_ms, values = series.select(self._clamp(start), _to_ms(end))
        seconds = (1000).__rtruediv__
        if max_points is None:
            return list(zip(map(seconds, ts_ms), values.tolist(), strict=True))
        keep = minmax_indices(values, max_points)
        return [(ts_ms[i] / 1000, values[i]) for i in keep]

    def stats(self, entity_id: str, start: float, end: float) -> WindowStats | None:
        """Count, mean, min, max, first, last and rate of the points in ``[start, end]``.

        ``None`` when the entity has no points there.
        """
        series = self._series.get(entity_id)
        if series is None:
            return None
        return series_stats(series, self._clamp(start), _to_ms(end))

    def latest(self, entity_id: str) -> tuple[float, float] | None:
        """The newest point ``(ts, value)`` of an entity, or ``None``."""
        series = self._series.get(entity_id)
        if series is None:
            return None
        ts_ms, value = series.last
        return ts_ms / 1000, value

    def entity_ids(self) -> list[str]:
        """Entities with at least one point in the window, sorted."""
        return sorted(self._series)

    def remove(self, entity_id: str) -> bool:
        """Forget an entity; return whether it was present."""
        return self._series.pop(entity_id, None) is not None

    def evict(self, now: float) -> int:
        """Forget points older than ``now - span``; return how many points were released.

        Costs O(entities + chunks released). Points of a chunk straddling the cutoff are hidden
        from every read at once and released with their chunk once it is entirely too old.
        """
        self._floor_ms = max(self._floor_ms, _to_ms(now) - self._span_ms)
        freed = 0
        for entity_id, series in list(self._series.items()):
            freed += series.drop_before(self._floor_ms)
            if not series.chunks:
                del self._series[entity_id]
        return freed

    def memory_bytes(self) -> int:
        """Bytes held by the window's objects, counted with ``sys.getsizeof``."""
        total = sys.getsizeof(self) + sys.getsizeof(self._series)
        for entity_id, series in self._series.items():
            total += sys.getsizeof(entity_id) + series.nbytes()
        return total

    def _clamp(self, start: float) -> int:
        return max(_to_ms(start), self._floor_ms)
