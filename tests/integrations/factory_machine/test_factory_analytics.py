"""Rolling statistics, baseline deviation, online status, uptime and the health score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from integrations.factory_machine.analytics import (
    BaselineCheck,
    HealthInput,
    HealthWeights,
    RollingWindow,
    SensorCheck,
    WindowStats,
    deviation_percent,
    health_score,
    is_online,
    rolling_stats,
    uptime_percent,
)

T0 = datetime(2024, 6, 3, 6, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_factory_rolling_window_tracks_mean_min_max_and_evicts() -> None:
    window = RollingWindow(timedelta(seconds=60))
    for second, value in [(0, 5.0), (20, 1.0), (40, 9.0), (50, 3.0)]:
        window.add(at(second), value)
    assert window.stats(at(50)) == WindowStats(4, 4.5, 1.0, 9.0)
    later = window.stats(at(70))
    assert later is not None
    assert (later.count, later.minimum, later.maximum) == (3, 1.0, 9.0)
    assert later.mean == pytest.approx(13 / 3)
    assert window.stats(at(95)) == WindowStats(2, 6.0, 3.0, 9.0)
    assert window.stats(at(105)) == WindowStats(1, 3.0, 3.0, 3.0)
    assert window.stats(at(200)) is None


def test_factory_rolling_window_matches_the_pure_function() -> None:
    samples = [(at(s), float((s * 7) % 11)) for s in range(0, 300, 5)]
    window = RollingWindow(timedelta(seconds=45))
    for ts, value in samples:
        window.add(ts, value)
        expected = rolling_stats(samples, timedelta(seconds=45), ts)
        assert expected is not None
        actual = window.stats(ts)
        assert actual is not None
        assert (actual.count, actual.minimum, actual.maximum) == (
            expected.count,
            expected.minimum,
            expected.maximum,
        )
        assert actual.mean == pytest.approx(expected.mean)


def test_factory_rolling_window_refuses_old_samples_and_bad_windows() -> None:
    window = RollingWindow(timedelta(seconds=10))
    window.add(at(5), 1.0)
    with pytest.raises(ValueError, match="older"):
        window.add(at(4), 1.0)
    with pytest.raises(ValueError, match="positive"):
        RollingWindow(timedelta(0))
    assert rolling_stats([], timedelta(seconds=10), at(0)) is None


def test_factory_deviation_percent() -> None:
    assert deviation_percent(110.0, 100.0) == pytest.approx(10.0)
    assert deviation_percent(-15.0, -10.0) == pytest.approx(-50.0)
    assert deviation_percent(5.0, 0.0) is None


@pytest.mark.parametrize(("age_s", "expected"), [(0, True), (119, True), (120, True), (121, False)])
def test_factory_online_from_last_seen(age_s: int, expected: bool) -> None:
    assert is_online(at(0), at(age_s), timedelta(seconds=60)) is expected


def test_factory_never_seen_is_offline() -> None:
    assert not is_online(None, at(0), timedelta(seconds=60))


def test_factory_uptime_unites_report_hold_times() -> None:
    reports = [at(s) for s in range(0, 600, 60)] + [at(1200 + s) for s in range(0, 600, 60)]
    result = uptime_percent(reports, at(0), at(3600), timedelta(seconds=60))
    # online 0..660 and 1200..1860: 1320 s of 3600 s
    assert result == pytest.approx(1320 / 3600 * 100)
    assert uptime_percent(reports, at(0), at(0), timedelta(seconds=60)) is None


def test_factory_health_score_worked_example() -> None:
    inputs = HealthInput(
        online=True,
        sensors=[
            SensorCheck("spindle_temp", 61.0, high=70.0),
            SensorCheck("vibration", 7.2, low=0.0, high=6.0),
            SensorCheck("pressure", 5.1, low=4.0, high=6.0),
            SensorCheck("current", None, high=30.0),
        ],
        baselines=[BaselineCheck("cycle_time", 33.0, 30.0), BaselineCheck("power", 10.0, 0.0)],
        recent_alarms=1,
    )
    result = health_score(inputs)
    assert dict(result.components) == {
        "sensors": 0.5,
        "deviation": pytest.approx(0.8),
        "online": 1.0,
        "alarms": pytest.approx(0.8),
    }
    # 100 * (0.35*0.5 + 0.25*0.8 + 0.25*1 + 0.15*0.8) / 1.0 = 74.5
    assert result.score == 74.5


def test_factory_health_score_offline_drops_stale_components() -> None:
    inputs = HealthInput(online=False, sensors=[SensorCheck("t", 20.0, 0.0, 50.0)], recent_alarms=0)
    result = health_score(inputs)
    assert set(result.components) == {"online", "alarms"}
    assert result.score == 37.5  # 100 * (0.25*0 + 0.15*1) / 0.40


def test_factory_health_score_bounds_and_validation() -> None:
    perfect = health_score(HealthInput(online=True))
    assert perfect.score == 100.0
    worst = health_score(
        HealthInput(
            online=True,
            sensors=[SensorCheck("t", 99.0, high=50.0)],
            baselines=[BaselineCheck("c", 300.0, 100.0)],
            recent_alarms=12,
        ),
        HealthWeights(online=0.0),
    )
    assert worst.score == 0.0
    with pytest.raises(ValueError, match="non-negative"):
        HealthWeights(sensors=-1.0)
    with pytest.raises(ValueError, match="recent_alarms"):
        health_score(HealthInput(online=True, recent_alarms=-1))
