"""TelemetryWindow basics: ordering, reads, entity bookkeeping and input checks."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from hub.window import TelemetryWindow

T0 = 1_700_000_000.0


@pytest.fixture
def window() -> TelemetryWindow:
    return TelemetryWindow(chunk_points=8)


def test_range_returns_points_in_order_across_chunks(window: TelemetryWindow) -> None:
    points = [(T0 + i, float(i)) for i in range(30)]
    for ts, value in points:
        window.add("sensor.a", ts, value)
    assert window.range("sensor.a", T0, T0 + 29) == points
    assert window.range("sensor.a", T0 + 7.5, T0 + 17) == points[8:18]
    assert window.range("sensor.a", T0 + 8, T0 + 8) == [points[8]]
    assert window.range("sensor.a", T0 + 40, T0 + 50) == []
    assert window.range("sensor.a", T0 + 10, T0 + 5) == []


def test_timestamps_keep_millisecond_precision(window: TelemetryWindow) -> None:
    window.add("sensor.a", T0 + 0.1234, 1.0)
    window.add("sensor.a", T0 + 0.9876, 2.0)
    assert window.range("sensor.a", T0, T0 + 1) == [(T0 + 0.123, 1.0), (T0 + 0.988, 2.0)]


def test_values_are_float32(window: TelemetryWindow) -> None:
    window.add("sensor.a", T0, 0.1)
    ((_, value),) = window.range("sensor.a", T0, T0)
    assert value != 0.1
    assert math.isclose(value, 0.1, rel_tol=1e-7)


def test_entities_are_independent(window: TelemetryWindow) -> None:
    window.add("sensor.b", T0, 1.0)
    window.add("sensor.a", T0 + 1, 2.0)
    assert window.entity_ids() == ["sensor.a", "sensor.b"]
    assert window.latest("sensor.a") == (T0 + 1, 2.0)
    assert window.latest("sensor.b") == (T0, 1.0)
    assert window.range("sensor.a", T0, T0 + 1) == [(T0 + 1, 2.0)]


def test_unknown_entity_reads_empty(window: TelemetryWindow) -> None:
    assert window.range("sensor.none", T0, T0 + 1) == []
    assert window.stats("sensor.none", T0, T0 + 1) is None
    assert window.latest("sensor.none") is None
    assert window.remove("sensor.none") is False


def test_remove_forgets_entity(window: TelemetryWindow) -> None:
    window.add("sensor.a", T0, 1.0)
    assert window.remove("sensor.a") is True
    assert window.entity_ids() == []
    assert window.latest("sensor.a") is None


def test_same_timestamp_replaces_value(window: TelemetryWindow) -> None:
    window.add("sensor.a", T0, 1.0)
    window.add("sensor.a", T0, 5.0)
    assert window.range("sensor.a", T0 - 1, T0 + 1) == [(T0, 5.0)]


def test_add_many_sorts_and_keeps_last_duplicate(window: TelemetryWindow) -> None:
    kept = window.add_many("sensor.a", [(T0 + 2, 2.0), (T0, 0.0), (T0 + 1, 1.0), (T0 + 2, 9.0)])
    assert kept == 4
    assert window.range("sensor.a", T0, T0 + 2) == [(T0, 0.0), (T0 + 1, 1.0), (T0 + 2, 9.0)]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1e39])
def test_rejects_values_float32_cannot_hold(window: TelemetryWindow, value: float) -> None:
    with pytest.raises(ValueError, match="float32"):
        window.add("sensor.a", T0, value)
    with pytest.raises(ValueError, match="float32"):
        window.add_many("sensor.a", [(T0, 1.0), (T0 + 1, value)])
    assert window.entity_ids() == []


@pytest.mark.parametrize("ts", [math.nan, math.inf])
def test_rejects_non_finite_timestamps(window: TelemetryWindow, ts: float) -> None:
    with pytest.raises(ValueError, match="not finite"):
        window.add("sensor.a", ts, 1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"span": timedelta(0)}, "span"),
        ({"chunk_points": 1}, "chunk_points"),
    ],
)
def test_rejects_bad_configuration(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TelemetryWindow(**kwargs)  # type: ignore[arg-type]


def test_span_is_configurable() -> None:
    assert TelemetryWindow().span == timedelta(hours=24)
    assert TelemetryWindow(timedelta(minutes=5)).span == timedelta(minutes=5)
