"""Min/max-preserving downsampling for charts."""

from __future__ import annotations

from collections.abc import Sequence


def minmax_indices(values: Sequence[float], max_points: int) -> list[int]:
    """Indices of at most ``max_points`` points that keep every bucket's extremes.

    The points are cut into ``max_points // 2`` buckets of equal point count; each bucket
    contributes its minimum and its maximum in time order (one index when they coincide), so
    a lone spike always survives. With no more than ``max_points`` points, all are kept.
    """
    if max_points < 2:
        raise ValueError(f"max_points must be at least 2, got {max_points}")
    n = len(values)
    if n <= max_points:
        return list(range(n))
    buckets = max_points // 2
    size = -(-n // buckets)
    picked: list[int] = []
    for start in range(0, n, size):
        bucket = values[start : start + size]
        low = bucket.index(min(bucket))
        high = bucket.index(max(bucket))
        if low == high:
            picked.append(start + low)
        elif low < high:
            picked += (start + low, start + high)
        else:
            picked += (start + high, start + low)
    return picked
