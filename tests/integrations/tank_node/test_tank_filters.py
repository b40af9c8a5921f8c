"""Filters against firmware/protocol/filters.json plus the hub-only fill-rate estimator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from integrations.tank_node.filters import (
    FillRate,
    FillRateEstimator,
    MedianFilter,
    compensate,
    speed_of_sound,
    time_to_empty_s,
    time_to_full_s,
)

VECTORS = json.loads(
    (Path(__file__).resolve().parents[3] / "firmware/protocol/filters.json").read_text()
)
TOL = VECTORS["tolerance"]["abs"]


@pytest.mark.parametrize("case", VECTORS["speed_of_sound"], ids=lambda c: str(c["temperature_c"]))
def test_speed_of_sound_vectors(case: dict[str, Any]) -> None:
    assert speed_of_sound(case["temperature_c"]) == pytest.approx(case["m_s"], abs=TOL)


@pytest.mark.parametrize(
    "case", VECTORS["compensate"], ids=lambda c: f"{c['echo_us']}@{c['temperature_c']}"
)
def test_compensation_vectors(case: dict[str, Any]) -> None:
    got = compensate(case["echo_us"], case["temperature_c"])
    assert got == pytest.approx(case["distance_mm"], abs=TOL)


@pytest.mark.parametrize("case", VECTORS["median"], ids=lambda c: c["name"])
def test_median_vectors(case: dict[str, Any]) -> None:
    median = MedianFilter(case["window"])
    for step in case["steps"]:
        median.push(step["in"])
        assert median.value == step["out"], step
    assert median.rejected == case["rejected"]


def test_median_rejects_nan_and_bad_window() -> None:
    median = MedianFilter()
    assert not median.push(float("nan"))
    assert median.value is None
    with pytest.raises(ValueError, match="window"):
        MedianFilter(0)


def _feed(estimator: FillRateEstimator, samples: list[tuple[float, float]]) -> FillRate | None:
    for t, v in samples:
        estimator.add(t, v)
    return estimator.rate()


def test_steady_draw_is_significant_and_gives_time_to_empty() -> None:
    # 120 L/h draw sampled every minute for 30 minutes from 500 L, with ±0.3 L noise.
    noise = [0.3, -0.2, 0.1, -0.3, 0.2, 0.0]
    samples = [(60.0 * i, 500.0 - 2.0 * i + noise[i % 6]) for i in range(31)]
    rate = _feed(FillRateEstimator(3600), samples)
    assert rate is not None and rate.significant
    assert rate.rate_lph == pytest.approx(-120.0, abs=1.0)
    remaining = time_to_empty_s(440.0, rate)
    assert remaining == pytest.approx(440.0 / -rate.rate_lph * 3600.0)
    assert time_to_full_s(440.0, 1000.0, rate) is None


def test_filling_gives_time_to_full() -> None:
    rate = _feed(FillRateEstimator(3600), [(0, 100.0), (600, 150.0), (1200, 200.0)])
    assert rate is not None and rate.significant
    assert rate.rate_lph == pytest.approx(300.0)
    assert time_to_full_s(200.0, 500.0, rate) == pytest.approx(3600.0)
    assert time_to_empty_s(200.0, rate) is None


def test_noise_around_a_flat_level_is_not_significant() -> None:
    samples = [(60.0 * i, 300.0 + (1.5 if i % 2 else -1.5)) for i in range(20)]
    rate = _feed(FillRateEstimator(3600), samples)
    assert rate is not None and not rate.significant
    assert time_to_empty_s(300.0, rate) is None
    assert time_to_full_s(300.0, 1000.0, rate) is None


def test_too_few_samples_or_span_is_unknown() -> None:
    estimator = FillRateEstimator(3600)
    assert estimator.rate() is None
    rate = _feed(estimator, [(0, 100.0), (10, 90.0)])
    assert rate is not None and not rate.significant


def test_late_samples_are_ordered_and_old_ones_leave_the_window() -> None:
    estimator = FillRateEstimator(600, min_span_s=0)
    rate = _feed(estimator, [(0, 0.0), (1000, 100.0), (1200, 120.0), (1100, 110.0)])
    assert rate is not None
    assert rate.samples == 3  # t=0 fell out of the 600 s window
    assert rate.rate_lph == pytest.approx(360.0)
    assert rate.significant


def test_estimator_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="min_samples"):
        FillRateEstimator(3600, min_samples=2)
