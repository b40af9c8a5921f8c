"""Eviction: points older than the span disappear at the boundary, chunk by chunk."""

from __future__ import annotations

from datetime import timedelta

from hub.window import TelemetryWindow

T0 = 1_700_000_000.0
SPAN = timedelta(seconds=100)


def _filled(seconds: int, chunk_points: int = 10) -> TelemetryWindow:
    window = TelemetryWindow(SPAN, chunk_points=chunk_points)
    for i in range(seconds):
        window.add("sensor.a", T0 + i, float(i))
    return window


def test_point_exactly_at_boundary_is_kept() -> None:
    window = _filled(200)
    window.evict(T0 + 150)
    points = window.range("sensor.a", T0, T0 + 1000)
    assert points[0] == (T0 + 50, 50.0)
    assert len(points) == 150


def test_hidden_points_are_excluded_from_stats() -> None:
    window = _filled(200)
    window.evict(T0 + 155)
    stats = window.stats("sensor.a", T0, T0 + 1000)
    assert stats is not None
    assert (stats.count, stats.first, stats.min) == (145, 55.0, 55.0)


def test_releases_only_whole_chunks() -> None:
    window = _filled(200)
    assert window.evict(T0 + 155) == 50
    assert window.evict(T0 + 160) == 10
    assert window.evict(T0 + 160) == 0


def test_points_older_than_floor_are_refused() -> None:
    window = _filled(200)
    window.evict(T0 + 150)
    assert window.add("sensor.a", T0 + 49, 1.0) is False
    assert window.add("sensor.a", T0 + 50.5, 1.0) is True
    assert window.add_many("sensor.a", [(T0 + 10, 1.0), (T0 + 60.5, 2.0)]) == 1
    assert window.range("sensor.a", T0, T0 + 49.999) == []


def test_floor_never_moves_back() -> None:
    window = _filled(200)
    window.evict(T0 + 150)
    window.evict(T0 + 120)
    assert window.range("sensor.a", T0, T0 + 1000)[0] == (T0 + 50, 50.0)


def test_fully_expired_entity_is_dropped() -> None:
    window = _filled(50)
    window.add("sensor.b", T0 + 500, 1.0)
    window.evict(T0 + 200)
    assert window.entity_ids() == ["sensor.b"]
    assert window.latest("sensor.a") is None


def test_memory_is_released() -> None:
    window = _filled(500)
    before = window.memory_bytes()
    window.evict(T0 + 550)
    assert window.memory_bytes() < before / 4
