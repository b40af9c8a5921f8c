"""Stats agree with a naive computation over the same float32 points."""

from __future__ import annotations

import math
import random
from array import array

import pytest

from hub.window import TelemetryWindow, WindowStats

T0 = 1_700_000_000.0


def _points(seed: int, count: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    ts = T0
    points = []
    for _ in range(count):
        ts += rng.choice((0.25, 1.0, 1.0, 1.003, 7.5))
        points.append((round(ts, 3), rng.uniform(-50.0, 50.0)))
    return points


def _seconds(start: float, end: float) -> float:
    """Elapsed seconds between two millisecond-rounded timestamps, free of float noise."""
    return (round(end * 1000) - round(start * 1000)) / 1000


def _naive(points: list[tuple[float, float]], start: float, end: float) -> WindowStats | None:
    inside = [(ts, array("f", [v])[0]) for ts, v in points if start <= ts <= end]
    if not inside:
        return None
    values = [v for _, v in inside]
    (t_first, v_first), (t_last, v_last) = inside[0], inside[-1]
    return WindowStats(
        count=len(values),
        mean=sum(values) / len(values),
        min=min(values),
        max=max(values),
        first=v_first,
        last=v_last,
        first_ts=t_first,
        last_ts=t_last,
        rate_per_s=(v_last - v_first) / _seconds(t_first, t_last) if len(values) > 1 else None,
    )


def _assert_matches(actual: WindowStats | None, expected: WindowStats | None) -> None:
    if expected is None:
        assert actual is None
        return
    assert actual is not None
    assert actual.count == expected.count
    assert math.isclose(actual.mean, expected.mean, rel_tol=1e-9, abs_tol=1e-9)
    assert (actual.min, actual.max) == (expected.min, expected.max)
    assert (actual.first, actual.last) == (expected.first, expected.last)
    assert (actual.first_ts, actual.last_ts) == (expected.first_ts, expected.last_ts)
    if expected.rate_per_s is None:
        assert actual.rate_per_s is None
    else:
        assert actual.rate_per_s is not None
        assert math.isclose(actual.rate_per_s, expected.rate_per_s, rel_tol=1e-9)


def _random_range(rng: random.Random, low: float, high: float) -> tuple[float, float]:
    a, b = rng.uniform(low, high), rng.uniform(low, high)
    return min(a, b), max(a, b)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("chunk_points", [2, 7, 64, 2048])
def test_random_ranges_match_naive(seed: int, chunk_points: int) -> None:
    points = _points(seed, 400)
    window = TelemetryWindow(chunk_points=chunk_points)
    for ts, value in points:
        window.add("sensor.a", ts, value)
    rng = random.Random(seed + 100)
    last_ts = points[-1][0]
    ranges = [(T0 - 10, last_ts + 10), (points[5][0], points[5][0]), (T0 - 10, T0)]
    ranges += [_random_range(rng, T0, last_ts) for _ in range(25)]
    for start, end in ranges:
        _assert_matches(window.stats("sensor.a", start, end), _naive(points, start, end))


def test_rate_per_hour_of_a_counter() -> None:
    window = TelemetryWindow()
    window.add_many("sensor.energy", [(T0 + 60 * i, 10.0 + 0.5 * i) for i in range(61)])
    stats = window.stats("sensor.energy", T0, T0 + 3600)
    assert stats is not None
    assert stats.rate_per_h == pytest.approx(30.0)
    assert stats.rate_per_s == pytest.approx(30.0 / 3600)


def test_single_point_has_no_rate() -> None:
    window = TelemetryWindow()
    window.add("sensor.a", T0, 4.0)
    stats = window.stats("sensor.a", T0 - 1, T0 + 1)
    assert stats is not None
    assert (stats.count, stats.mean, stats.rate_per_s, stats.rate_per_h) == (1, 4.0, None, None)


def test_reversed_range_is_empty() -> None:
    window = TelemetryWindow()
    window.add_many("sensor.a", [(T0 + i, 1.0) for i in range(10)])
    assert window.stats("sensor.a", T0 + 8, T0 + 2) is None
    assert window.range("sensor.a", T0 + 8, T0 + 2) == []
