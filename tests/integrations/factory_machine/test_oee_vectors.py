"""Hand-worked OEE test vectors; the same arithmetic is written out in docs/factory-oee.md."""

from __future__ import annotations

import math
from dataclasses import fields
from datetime import UTC, date, datetime, time, timedelta

import pytest

from integrations.factory_machine.counters import (
    CountDelta,
    CounterSample,
    CounterWidth,
    decode_counter,
)
from integrations.factory_machine.oee import (
    IdealCycleTimes,
    MachineInput,
    OEEConfig,
    OEEFlag,
    OEEResult,
    ProductRun,
    compute_oee,
    shift_results,
)
from integrations.factory_machine.shifts import Period, PlannedStop, ShiftCalendar, ShiftPattern
from integrations.factory_machine.states import (
    LossClass,
    LossPolicy,
    StateInterval,
    StateSample,
    intervals_from_samples,
)

RUN, FAILURE, CHANGEOVER, MICROSTOP = 10_000, 180_000, 100_000, 50_000
ONE_MINUTE = OEEConfig(ideal_cycle=IdealCycleTimes(timedelta(minutes=1)))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def spread(total: int, start: datetime, end: datetime, pieces: int = 4) -> list[CountDelta]:
    """``total`` parts as ``pieces`` equal deltas inside ``[start, end)``."""
    step = (end - start) / pieces
    return [CountDelta(start + step * i, total // pieces) for i in range(pieces)]


def assert_no_nan(result: OEEResult) -> None:
    for item in fields(result):
        value = getattr(result, item.name)
        if isinstance(value, float):
            assert not math.isnan(value), item.name
            if item.name in {"availability", "performance", "quality", "oee", "teep"}:
                assert 0.0 <= value <= 1.0, item.name


def test_oee_classic_example_480_420_400_380() -> None:
    """Planned 480, run 420, ideal 1 min, total 400, good 380 (with a lunch break)."""
    shift = ShiftPattern(
        "early",
        time(6),
        time(14, 30),
        planned_stops=(PlannedStop("lunch", time(10), time(10, 30)),),
    )
    calendar = ShiftCalendar.create("Europe/Berlin", [shift])
    states = [
        StateInterval(utc(2024, 6, 3, 4), utc(2024, 6, 3, 10), RUN),
        StateInterval(utc(2024, 6, 3, 10), utc(2024, 6, 3, 11), FAILURE),
        StateInterval(utc(2024, 6, 3, 11), utc(2024, 6, 3, 12, 30), RUN),
    ]
    machine = MachineInput(
        "press-1",
        states,
        parts=spread(400, utc(2024, 6, 3, 4), utc(2024, 6, 3, 12)),
        rejects=[CountDelta(utc(2024, 6, 3, 9), 20)],
    )
    (result,) = shift_results(machine, calendar, ONE_MINUTE, utc(2024, 6, 3), utc(2024, 6, 4))
    assert result.period.label == "2024-06-03 early"
    assert result.calendar_minutes == 510
    assert (result.shift_minutes, result.planned_stop_minutes) == (510, 30)
    assert (result.planned_minutes, result.run_minutes, result.stop_minutes) == (480, 420, 60)
    assert (result.total_count, result.reject_count, result.good_count) == (400, 20, 380)
    assert result.availability == pytest.approx(0.875)
    assert result.performance == pytest.approx(400 / 420)  # 95.2 %
    assert result.quality == pytest.approx(0.95)
    assert result.oee == pytest.approx(380 / 480)  # 79.1 %
    assert result.oee is not None
    assert result.teep == pytest.approx(380 / 510)
    assert math.floor(result.oee * 1000) / 10 == 79.1  # 79.17 %, quoted truncated as 79.1 %
    assert result.data_completeness == 1.0
    assert result.flags == ()
    losses = result.six_big_losses
    assert (losses.breakdown_minutes, losses.setup_minutes) == (60, 0)
    assert losses.minor_stop_minutes == 0
    assert losses.reduced_speed_minutes == pytest.approx(20)
    assert losses.production_reject_minutes == pytest.approx(20)
    assert (losses.startup_reject_count, losses.production_reject_count) == (0, 20)
    (reason,) = result.top_downtime_reasons()
    assert (reason.code, reason.name, reason.minutes, reason.occurrences) == (
        FAILURE,
        "equipment_failure",
        60,
        1,
    )
    assert_no_nan(result)


def test_oee_night_shift_across_midnight_on_dst_day() -> None:
    """Europe/Berlin 22:00-06:00 starting 2024-03-30: 420 real minutes, break 00:30-01:00."""
    night = ShiftPattern(
        "night", time(22), time(6), planned_stops=(PlannedStop("break", time(0, 30), time(1)),)
    )
    calendar = ShiftCalendar.create("Europe/Berlin", [night])
    states = [
        StateInterval(utc(2024, 3, 30, 21), utc(2024, 3, 31, 1), RUN),
        StateInterval(utc(2024, 3, 31, 1), utc(2024, 3, 31, 1, 30), FAILURE),
        StateInterval(utc(2024, 3, 31, 1, 30), utc(2024, 3, 31, 4), RUN),
    ]
    machine = MachineInput(
        "lathe-7",
        states,
        parts=spread(342, utc(2024, 3, 30, 21), utc(2024, 3, 31, 3), pieces=6),
        rejects=[CountDelta(utc(2024, 3, 31, 2), 18)],
    )
    results = shift_results(machine, calendar, ONE_MINUTE, utc(2024, 3, 30, 12), utc(2024, 3, 31))
    (result,) = results
    assert result.calendar_minutes == 420
    assert (result.planned_stop_minutes, result.planned_minutes) == (30, 390)
    assert (result.run_minutes, result.stop_minutes) == (360, 30)
    assert result.availability == pytest.approx(360 / 390)  # 92.3 %
    assert result.performance == pytest.approx(342 / 360)  # 95.0 %
    assert result.quality == pytest.approx(324 / 342)  # 94.7 %
    assert result.oee == pytest.approx(324 / 390)  # 83.1 %
    assert result.teep == pytest.approx(324 / 420)  # 77.1 %
    assert_no_nan(result)


def test_oee_counter_rollover_and_reset() -> None:
    """UINT16 part counter wraps once, the reject counter is reset once; ideal 15 s."""
    start, end = utc(2024, 6, 3, 6), utc(2024, 6, 3, 14)
    parts = decode_counter(
        [
            CounterSample(start, 64_536),
            CounterSample(utc(2024, 6, 3, 10), 65_436),
            CounterSample(utc(2024, 6, 3, 13, 59), 800),
        ],
        width=CounterWidth.UINT16,
    )
    rejects = decode_counter(
        [
            CounterSample(start, 30_000),
            CounterSample(utc(2024, 6, 3, 10), 30_018),
            CounterSample(utc(2024, 6, 3, 12), 5),
            CounterSample(utc(2024, 6, 3, 13, 59), 18),
        ],
        width=CounterWidth.UINT16,
    )
    assert (parts.total, parts.rollovers, rejects.total, rejects.resets) == (1800, 1, 36, 1)
    machine = MachineInput(
        "filler-2", [StateInterval(start, end, RUN)], parts.deltas, rejects.deltas
    )
    config = OEEConfig(ideal_cycle=IdealCycleTimes(timedelta(seconds=15)))
    result = compute_oee(machine, Period(start, end), config)
    assert (result.total_count, result.good_count) == (1800, 1764)
    assert result.availability == 1.0
    assert result.performance == pytest.approx(0.9375)  # 1800 x 0.25 / 480
    assert result.quality == pytest.approx(0.98)  # 1764 / 1800
    assert result.oee == pytest.approx(0.91875)  # 441 / 480


def _gap_machine() -> MachineInput:
    start = utc(2024, 6, 3, 6)
    minutes = [m for m in range(480) if not 0 < m - 240 < 30]
    samples = [StateSample(start + timedelta(minutes=m), RUN) for m in minutes]
    states = intervals_from_samples(samples, timedelta(minutes=5), utc(2024, 6, 3, 14))
    return MachineInput("mill-3", states, parts=spread(432, start, utc(2024, 6, 3, 14)))


def test_oee_thirty_minute_gap_is_unknown_not_run_time() -> None:
    period = Period(utc(2024, 6, 3, 6), utc(2024, 6, 3, 14))
    result = compute_oee(_gap_machine(), period, ONE_MINUTE)
    assert (result.planned_minutes, result.run_minutes) == (480, 450)
    assert (result.unknown_minutes, result.stop_minutes) == (30, 30)
    assert result.availability == pytest.approx(0.9375)
    assert result.performance == pytest.approx(0.96)  # 432 / 450
    assert result.oee == pytest.approx(0.9)  # 432 / 480
    assert result.data_completeness == pytest.approx(0.9375)
    assert OEEFlag.INCOMPLETE_DATA in result.flags
    assert result.top_downtime_reasons()[0].name == "unknown"
    assert result.six_big_losses.breakdown_minutes == 0


def test_oee_thirty_minute_gap_excluded_by_policy() -> None:
    period = Period(utc(2024, 6, 3, 6), utc(2024, 6, 3, 14))
    config = OEEConfig(
        ideal_cycle=IdealCycleTimes(timedelta(minutes=1)),
        policy=LossPolicy(unknown_as=LossClass.EXCLUDED),
    )
    result = compute_oee(_gap_machine(), period, config)
    assert (result.planned_minutes, result.run_minutes) == (450, 450)
    assert result.excluded_state_minutes == 30
    assert result.availability == 1.0
    assert result.oee == pytest.approx(0.96)
    assert result.data_completeness == pytest.approx(0.9375)


def test_oee_reject_counter_above_total_is_refused() -> None:
    start, end = utc(2024, 6, 3, 6), utc(2024, 6, 3, 8)
    machine = MachineInput(
        "press-9",
        [StateInterval(start, end, RUN)],
        parts=[CountDelta(utc(2024, 6, 3, 7), 100)],
        rejects=[CountDelta(utc(2024, 6, 3, 7), 120)],
    )
    result = compute_oee(machine, Period(start, end), ONE_MINUTE)
    assert OEEFlag.REJECTS_EXCEED_TOTAL in result.flags
    assert (result.total_count, result.reject_count, result.good_count) == (100, 120, None)
    assert (result.quality, result.oee, result.teep) == (None, None, None)
    assert result.availability == 1.0
    assert result.performance == pytest.approx(100 / 120)
    assert_no_nan(result)


def test_oee_performance_above_one_is_capped_and_flagged() -> None:
    start, end = utc(2024, 6, 3, 6), utc(2024, 6, 3, 7, 40)
    machine = MachineInput(
        "press-4", [StateInterval(start, end, RUN)], parts=[CountDelta(utc(2024, 6, 3, 7), 120)]
    )
    result = compute_oee(machine, Period(start, end), ONE_MINUTE)
    assert result.performance_raw == pytest.approx(1.2)
    assert result.performance == 1.0
    assert result.performance_capped
    assert OEEFlag.PERFORMANCE_CAPPED in result.flags
    assert result.oee == 1.0
    assert result.six_big_losses.reduced_speed_minutes == 0


def test_oee_six_big_losses_waterfall_adds_up() -> None:
    """Changeover 30, failure 20, microstop 10, startup and production rejects."""
    t0 = utc(2024, 6, 3, 6)

    def at(minutes: int) -> datetime:
        return t0 + timedelta(minutes=minutes)

    states = [
        StateInterval(at(0), at(30), CHANGEOVER),
        StateInterval(at(30), at(240), RUN),
        StateInterval(at(240), at(260), FAILURE),
        StateInterval(at(260), at(360), RUN),
        StateInterval(at(360), at(370), MICROSTOP),
        StateInterval(at(370), at(480), RUN),
    ]
    rejects = [CountDelta(at(40), 5), CountDelta(at(265), 3), CountDelta(at(420), 12)]
    machine = MachineInput("cnc-5", states, spread(400, at(30), at(470)), rejects)
    config = OEEConfig(
        ideal_cycle=IdealCycleTimes(timedelta(minutes=1)), startup_window=timedelta(minutes=15)
    )
    result = compute_oee(machine, Period(at(0), at(480)), config)
    assert (result.planned_minutes, result.run_minutes, result.stop_minutes) == (480, 430, 50)
    losses = result.six_big_losses
    assert (losses.setup_minutes, losses.breakdown_minutes) == (30, 20)
    assert losses.minor_stop_minutes == pytest.approx(10)
    assert losses.reduced_speed_minutes == pytest.approx(20)
    assert (losses.startup_reject_count, losses.production_reject_count) == (8, 12)
    assert losses.startup_reject_minutes == pytest.approx(8)
    assert losses.production_reject_minutes == pytest.approx(12)
    assert result.fully_productive_minutes == pytest.approx(380)
    lost = (
        losses.setup_minutes
        + losses.breakdown_minutes
        + (losses.minor_stop_minutes or 0)
        + (losses.reduced_speed_minutes or 0)
        + (losses.startup_reject_minutes or 0)
        + (losses.production_reject_minutes or 0)
    )
    assert lost == pytest.approx(result.planned_minutes - 380)
    assert [(r.name, r.minutes) for r in result.top_downtime_reasons(2)] == [
        ("changeover", 30),
        ("equipment_failure", 20),
    ]
    assert result.oee == pytest.approx(380 / 480)


def test_oee_ideal_cycle_per_product_weights_quality_by_time() -> None:
    t0, t4, t8 = utc(2024, 6, 3, 6), utc(2024, 6, 3, 10), utc(2024, 6, 3, 14)
    machine = MachineInput(
        "line-a",
        [StateInterval(t0, t8, RUN)],
        parts=[CountDelta(utc(2024, 6, 3, 9), 400), CountDelta(utc(2024, 6, 3, 13), 100)],
        rejects=[CountDelta(utc(2024, 6, 3, 9), 20), CountDelta(utc(2024, 6, 3, 13), 10)],
        products=[ProductRun(t0, t4, "small"), ProductRun(t4, t8, "large")],
    )
    ideal = IdealCycleTimes(
        per_product={"small": timedelta(seconds=30), "large": timedelta(minutes=2)}
    )
    result = compute_oee(machine, Period(t0, t8), OEEConfig(ideal_cycle=ideal))
    assert result.net_run_minutes == pytest.approx(400)  # 400 x 0.5 + 100 x 2
    assert result.performance == pytest.approx(400 / 480)
    assert result.quality == pytest.approx(370 / 400)  # (400 - 20 x 0.5 - 10 x 2) / 400
    assert result.oee == pytest.approx(370 / 480)
    assert result.good_count == 470


def test_oee_missing_ideal_cycle_time_leaves_performance_empty() -> None:
    start, end = utc(2024, 6, 3, 6), utc(2024, 6, 3, 8)
    machine = MachineInput(
        "old-press",
        [StateInterval(start, end, RUN)],
        parts=[CountDelta(utc(2024, 6, 3, 7), 100)],
        rejects=[CountDelta(utc(2024, 6, 3, 7), 5)],
    )
    result = compute_oee(machine, Period(start, end), OEEConfig())
    assert OEEFlag.NO_IDEAL_CYCLE_TIME in result.flags
    assert (result.performance, result.oee) == (None, None)
    assert result.quality == pytest.approx(0.95)
    assert result.availability == 1.0


def test_oee_window_without_shift_time_gives_none_not_nan() -> None:
    weekday_shift = ShiftPattern("early", time(6), time(14), weekdays=frozenset(range(5)))
    calendar = ShiftCalendar.create("Europe/Berlin", [weekday_shift])
    sunday = calendar.day_period(date(2024, 6, 2))
    result = compute_oee(MachineInput("idle-m", []), sunday, ONE_MINUTE, calendar)
    assert set(result.flags) == {OEEFlag.NO_PLANNED_TIME, OEEFlag.NO_PARTS}
    assert (result.availability, result.performance, result.quality) == (None, None, None)
    assert (result.oee, result.data_completeness) == (None, None)
    assert result.teep == 0.0  # nothing made in 1440 calendar minutes
    assert result.calendar_minutes == 1440
    assert_no_nan(result)


def test_oee_planned_machine_without_data_scores_zero_and_says_why() -> None:
    period = Period(utc(2024, 6, 3, 6), utc(2024, 6, 3, 14))
    result = compute_oee(MachineInput("silent", []), period, ONE_MINUTE)
    assert (result.planned_minutes, result.unknown_minutes) == (480, 480)
    assert (result.availability, result.oee, result.data_completeness) == (0.0, 0.0, 0.0)
    assert result.performance is None
    assert {OEEFlag.NO_RUN_TIME, OEEFlag.NO_PARTS, OEEFlag.INCOMPLETE_DATA} <= set(result.flags)
    assert_no_nan(result)


def test_oee_parts_without_run_time_are_flagged() -> None:
    start, end = utc(2024, 6, 3, 6), utc(2024, 6, 3, 7)
    machine = MachineInput(
        "odd", [StateInterval(start, end, FAILURE)], parts=[CountDelta(utc(2024, 6, 3, 6, 30), 9)]
    )
    result = compute_oee(machine, Period(start, end), ONE_MINUTE)
    assert OEEFlag.COUNTS_WITHOUT_RUN_TIME in result.flags
    assert (result.availability, result.performance, result.oee) == (0.0, None, None)


def test_oee_excluded_states_leave_numerator_and_denominator() -> None:
    t0 = utc(2024, 6, 3, 6)
    states = [
        StateInterval(t0, t0 + timedelta(minutes=60), 170_000),
        StateInterval(t0 + timedelta(minutes=60), t0 + timedelta(minutes=120), RUN),
    ]
    machine = MachineInput("wait", states, parts=[CountDelta(t0 + timedelta(minutes=90), 60)])
    result = compute_oee(machine, Period(t0, t0 + timedelta(minutes=120)), ONE_MINUTE)
    assert (result.excluded_state_minutes, result.planned_minutes) == (60, 60)
    assert result.oee == 1.0
    assert result.teep == pytest.approx(0.5)


def test_oee_shift_start_is_a_restart_for_startup_rejects() -> None:
    calendar = ShiftCalendar.create("UTC", [ShiftPattern("early", time(6), time(8))])
    start, end = utc(2024, 6, 3, 6), utc(2024, 6, 3, 8)
    machine = MachineInput(
        "press-2",
        [StateInterval(start, end, RUN)],
        parts=[CountDelta(utc(2024, 6, 3, 7), 100)],
        rejects=[CountDelta(utc(2024, 6, 3, 6, 5), 4), CountDelta(utc(2024, 6, 3, 7), 6)],
    )
    config = OEEConfig(
        ideal_cycle=IdealCycleTimes(timedelta(minutes=1)), startup_window=timedelta(minutes=15)
    )
    (result,) = shift_results(machine, calendar, config, start, end)
    losses = result.six_big_losses
    assert (losses.startup_reject_count, losses.production_reject_count) == (4, 6)
    assert losses.startup_reject_minutes == pytest.approx(4)
    assert losses.production_reject_minutes == pytest.approx(6)
