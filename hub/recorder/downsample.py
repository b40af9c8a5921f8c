"""Server-side downsampling of a state history that keeps every bucket's peaks."""

from __future__ import annotations

import math
from collections.abc import Sequence


def as_float(value: str | None) -> float | None:
    """The state as a finite float, None when it is not one (the one test of "numeric")."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _floats(states: Sequence[str | None]) -> tuple[list[float | None], bool]:
    """The states as finite floats (None where not), and whether every one of them is."""
    try:
        fast: list[float] = list(map(float, states))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        values = [as_float(state) for state in states]
        return values, None not in values
    # inf and nan survive any sum, so a finite sum proves every term finite; a sum that
    # overflowed from finite terms takes the element-wise check.
    if math.isfinite(sum(fast)) or all(map(math.isfinite, fast)):
        return fast, True  # type: ignore[return-value]
    return [value if math.isfinite(value) else None for value in fast], False


def keep_indices(states: Sequence[str | None], max_points: int) -> list[int]:
    """Indices (ascending) of at most about ``max_points`` states worth drawing.

    Non-numeric states (``unavailable``, ``on``…) are transitions and always kept. The
    numeric points are cut into equal-count buckets, each contributing its minimum and its
    maximum, so a lone spike always survives; the first and last points are always kept.
    """
    count = len(states)
    if count <= max_points:
        return list(range(count))
    values, all_numeric = _floats(states)
    if all_numeric:
        fixed: list[int] = []
        numeric: Sequence[int] = range(count)
        series: list[float] = values  # type: ignore[assignment]
    else:
        fixed = [index for index, value in enumerate(values) if value is None]
        numeric = [index for index, value in enumerate(values) if value is not None]
        series = [value for value in values if value is not None]
    picked = set(fixed)
    if numeric:
        picked.update((numeric[0], numeric[-1]))
        buckets = max(1, max(2, max_points - len(fixed) - 2) // 2)
        size = -(-len(numeric) // buckets)
        for first in range(0, len(numeric), size):
            bucket = series[first : first + size]
            picked.add(numeric[first + bucket.index(min(bucket))])
            picked.add(numeric[first + bucket.index(max(bucket))])
    return sorted(picked)
