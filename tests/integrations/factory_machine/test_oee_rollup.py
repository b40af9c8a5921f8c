"""Roll-ups sum times and counts; they never average OEE values."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from integrations.factory_machine.counters import CountDelta
from integrations.factory_machine.oee import (
    IdealCycleTimes,
    MachineInput,
    OEEConfig,
    OEEFlag,
    OEEResult,
    compute_oee,
    rollup,
    shift_results,
)
from integrations.factory_machine.shifts import Period, ShiftCalendar, ShiftPattern
from integrations.factory_machine.states import StateInterval

RUN, FAILURE = 10_000, 180_000
T0 = datetime(2024, 6, 3, 6, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def fast_machine() -> OEEResult:
    """Ideal 6 s, planned 480, run 480, 4320 parts: A 1, P 0.9, Q 1, OEE 0.9."""
    machine = MachineInput(
        "fast", [StateInterval(at(0), at(480), RUN)], parts=[CountDelta(at(100), 4320)]
    )
    config = OEEConfig(ideal_cycle=IdealCycleTimes(timedelta(seconds=6)))
    return compute_oee(machine, Period(at(0), at(480)), config)


def slow_machine() -> OEEResult:
    """Ideal 2 min, planned 240, run 120, 50 parts, 45 good: OEE 90 / 240 = 0.375."""
    states = [StateInterval(at(0), at(120), RUN), StateInterval(at(120), at(240), FAILURE)]
    machine = MachineInput(
        "slow", states, parts=[CountDelta(at(60), 50)], rejects=[CountDelta(at(60), 5)]
    )
    config = OEEConfig(ideal_cycle=IdealCycleTimes(timedelta(minutes=2)))
    return compute_oee(machine, Period(at(0), at(240)), config)


def test_oee_rollup_fast_and_slow_machine_differs_from_the_average() -> None:
    fast, slow = fast_machine(), slow_machine()
    assert fast.oee == pytest.approx(0.9)
    assert slow.oee == pytest.approx(0.375)
    line = rollup([fast, slow], "line-1", "2024-06-03")
    assert line.members == ("fast", "slow")
    assert (line.planned_minutes, line.run_minutes) == (720, 600)
    assert line.net_run_minutes == pytest.approx(532)
    assert line.fully_productive_minutes == pytest.approx(522)
    assert (line.total_count, line.good_count) == (4370, 4365)
    assert line.availability == pytest.approx(600 / 720)
    assert line.performance == pytest.approx(532 / 600)
    assert line.quality == pytest.approx(522 / 532)
    assert line.oee == pytest.approx(522 / 720)  # 72.5 %
    assert line.oee != pytest.approx((0.9 + 0.375) / 2)  # the naive average: 63.75 %
    assert line.teep == pytest.approx(522 / 720)
    availability, performance, quality = line.availability, line.performance, line.quality
    assert availability is not None and performance is not None and quality is not None
    assert availability * performance * quality == pytest.approx(line.oee)


def test_oee_rollup_of_shifts_equals_the_whole_day() -> None:
    patterns = [ShiftPattern("early", time(6), time(14)), ShiftPattern("late", time(14), time(22))]
    calendar = ShiftCalendar.create("UTC", patterns)
    states = [
        StateInterval(at(0), at(300), RUN),
        StateInterval(at(300), at(340), FAILURE),
        StateInterval(at(340), at(960), RUN),
    ]
    parts = [CountDelta(at(m), 9) for m in range(0, 960, 10)]
    machine = MachineInput("m", states, parts, rejects=[CountDelta(at(500), 6)])
    config = OEEConfig(ideal_cycle=IdealCycleTimes(timedelta(minutes=1)))
    shifts = shift_results(machine, calendar, config, at(0), at(960))
    assert [r.period.label for r in shifts] == ["2024-06-03 early", "2024-06-03 late"]
    combined = rollup(shifts, "m", "two shifts")
    whole = compute_oee(machine, Period(at(0), at(960)), config, calendar)
    assert combined.period == Period(at(0), at(960), "two shifts")
    for name in ("planned_minutes", "run_minutes", "stop_minutes", "total_count", "good_count"):
        assert getattr(combined, name) == getattr(whole, name), name
    assert not combined.performance_capped
    for name in ("availability", "performance", "quality", "oee", "teep"):
        assert getattr(combined, name) == pytest.approx(getattr(whole, name)), name
    day = compute_oee(machine, calendar.day_period(date(2024, 6, 3)), config, calendar)
    assert day.oee == pytest.approx(whole.oee)
    assert whole.oee is not None
    assert day.teep == pytest.approx(whole.oee * 960 / 1440)


def test_oee_rollup_merges_downtime_reasons_and_carries_data_flags() -> None:
    bad = compute_oee(
        MachineInput(
            "bad",
            [StateInterval(at(0), at(60), RUN)],
            parts=[CountDelta(at(10), 10)],
            rejects=[CountDelta(at(10), 20)],
        ),
        Period(at(0), at(60)),
        OEEConfig(ideal_cycle=IdealCycleTimes(timedelta(minutes=1))),
    )
    area = rollup([slow_machine(), bad, slow_machine()], "area")
    assert OEEFlag.REJECTS_EXCEED_TOTAL in area.flags
    assert (area.quality, area.oee, area.good_count) == (None, None, None)
    (reason,) = area.downtime_reasons
    assert (reason.code, reason.minutes, reason.occurrences) == (FAILURE, 240, 2)
    assert area.six_big_losses.breakdown_minutes == 240


def test_oee_rollup_needs_members() -> None:
    with pytest.raises(ValueError, match="at least one"):
        rollup([], "empty")
