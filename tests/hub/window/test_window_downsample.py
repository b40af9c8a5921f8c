"""Downsampling keeps every bucket's extremes, so spikes and dips survive."""

from __future__ import annotations

import pytest

from hub.window import TelemetryWindow
from hub.window.downsample import minmax_indices

T0 = 1_700_000_000.0


@pytest.mark.parametrize("spike_at", [0, 1, 4999, 5000, 9998, 9999])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_single_spike_survives(spike_at: int, sign: float) -> None:
    window = TelemetryWindow(chunk_points=256)
    window.add_many("sensor.a", [(T0 + i, 20.0) for i in range(10_000)])
    window.add("sensor.a", T0 + spike_at, 20.0 + sign * 500.0)
    points = window.range("sensor.a", T0, T0 + 10_000, max_points=100)
    assert len(points) <= 100
    assert (T0 + spike_at, 20.0 + sign * 500.0) in points


@pytest.mark.parametrize("max_points", [2, 3, 10, 99, 100, 1000])
def test_respects_max_points_and_order(max_points: int) -> None:
    values = [float((i * 37) % 101) for i in range(5000)]
    picked = minmax_indices(values, max_points)
    assert 0 < len(picked) <= max_points
    assert picked == sorted(set(picked))


def test_each_bucket_keeps_its_min_and_max() -> None:
    values = [5.0, 1.0, 9.0, 3.0, 8.0, 2.0, 7.0, 6.0]
    assert minmax_indices(values, 4) == [1, 2, 4, 5]
    assert [values[i] for i in minmax_indices(values, 4)] == [1.0, 9.0, 8.0, 2.0]


def test_short_series_is_returned_whole() -> None:
    window = TelemetryWindow()
    points = [(T0 + i, float(i)) for i in range(5)]
    window.add_many("sensor.a", points)
    assert window.range("sensor.a", T0, T0 + 10, max_points=5) == points


def test_rejects_fewer_than_two_points() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        minmax_indices([1.0, 2.0, 3.0], 1)
