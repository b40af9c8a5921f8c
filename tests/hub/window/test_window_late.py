"""Late points: replays from offline buffers land at their place in time."""

from __future__ import annotations

import random

import pytest

from hub.window import TelemetryWindow

T0 = 1_700_000_000.0


def _filled(count: int, chunk_points: int = 8) -> TelemetryWindow:
    window = TelemetryWindow(chunk_points=chunk_points)
    for i in range(count):
        window.add("sensor.a", T0 + 2 * i, float(i))
    return window


@pytest.mark.parametrize(
    "late_ts",
    [
        pytest.param(T0 - 5, id="before-first"),
        pytest.param(T0 + 1, id="inside-first-chunk"),
        pytest.param(T0 + 15, id="between-chunks"),
        pytest.param(T0 + 33, id="middle"),
        pytest.param(T0 + 57, id="inside-open-chunk"),
    ],
)
def test_single_late_point_is_inserted_in_order(late_ts: float) -> None:
    window = _filled(30)
    assert window.add("sensor.a", late_ts, -1.0) is True
    expected = sorted([(T0 + 2 * i, float(i)) for i in range(30)] + [(late_ts, -1.0)])
    assert window.range("sensor.a", T0 - 10, T0 + 100) == expected
    assert window.latest("sensor.a") == (T0 + 58, 29.0)


def test_late_point_on_existing_timestamp_replaces_it() -> None:
    window = _filled(30)
    window.add("sensor.a", T0 + 20, 99.0)
    points = window.range("sensor.a", T0, T0 + 100)
    assert len(points) == 30
    assert points[10] == (T0 + 20, 99.0)


def test_shuffled_replay_matches_in_order_fill() -> None:
    points = [(T0 + i + 0.25 * (i % 4), float(i % 17)) for i in range(500)]
    shuffled = points[:]
    random.Random(3).shuffle(shuffled)
    window = TelemetryWindow(chunk_points=16)
    window.add_many("sensor.a", shuffled[:250])
    for ts, value in shuffled[250:]:
        window.add("sensor.a", ts, value)
    assert window.range("sensor.a", T0, T0 + 600) == points


def test_replayed_buffer_is_idempotent() -> None:
    window = _filled(40)
    replay = [(T0 + 2 * i + 1, 0.5) for i in range(10, 20)]
    assert window.add_many("sensor.a", replay) == 10
    once = window.range("sensor.a", T0, T0 + 100)
    assert window.add_many("sensor.a", replay) == 10
    assert window.range("sensor.a", T0, T0 + 100) == once
    assert len(once) == 50


def test_merged_chunks_stay_within_size_and_appends_continue() -> None:
    window = _filled(16, chunk_points=4)
    window.add_many("sensor.a", [(T0 + 2 * i + 1, 0.0) for i in range(16)])
    window.add("sensor.a", T0 + 100, 7.0)
    stamps = [ts for ts, _ in window.range("sensor.a", T0, T0 + 100)]
    assert stamps == [T0 + i for i in range(32)] + [T0 + 100]
    assert window.stats("sensor.a", T0, T0 + 100) is not None
