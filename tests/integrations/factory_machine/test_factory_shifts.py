"""Shift calendar: midnight crossing, daylight-saving change days, planned stops."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from integrations.factory_machine.shifts import (
    Period,
    PlannedStop,
    SegmentKind,
    ShiftCalendar,
    ShiftPattern,
)

NIGHT = ShiftPattern(
    "night", time(22), time(6), planned_stops=(PlannedStop("break", time(0, 30), time(1)),)
)
EARLY = ShiftPattern(
    "early",
    time(6),
    time(14, 30),
    weekdays=frozenset(range(5)),
    planned_stops=(PlannedStop("lunch", time(10), time(10, 30)),),
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_factory_night_shift_on_spring_forward_day_is_seven_hours() -> None:
    calendar = ShiftCalendar.create("Europe/Berlin", [NIGHT])
    (shift,) = calendar.shifts_between(utc(2024, 3, 30, 20), utc(2024, 3, 31, 5))
    assert shift.period.start == utc(2024, 3, 30, 21)
    assert shift.period.end == utc(2024, 3, 31, 4)
    assert shift.period.duration == timedelta(hours=7)
    assert shift.planned_stops == (Period(utc(2024, 3, 30, 23, 30), utc(2024, 3, 31), "break"),)


def test_factory_night_shift_on_fall_back_day_is_nine_hours() -> None:
    calendar = ShiftCalendar.create("Europe/Berlin", [NIGHT])
    (shift,) = calendar.shifts_between(utc(2024, 10, 26, 19), utc(2024, 10, 27, 6))
    assert (shift.period.start, shift.period.end) == (utc(2024, 10, 26, 20), utc(2024, 10, 27, 5))
    assert shift.period.duration == timedelta(hours=9)


def test_factory_dst_days_are_23_and_25_hours() -> None:
    calendar = ShiftCalendar.create("Europe/Berlin", [NIGHT])
    assert calendar.day_period(date(2024, 3, 31)).duration == timedelta(hours=23)
    assert calendar.day_period(date(2024, 10, 27)).duration == timedelta(hours=25)
    assert calendar.day_period(date(2024, 6, 3)).duration == timedelta(hours=24)
    week = calendar.week_period(date(2024, 3, 27))
    assert week.label == "2024-W13"
    assert week.duration == timedelta(days=7, hours=-1)


def test_factory_segments_split_shift_break_and_no_shift() -> None:
    calendar = ShiftCalendar.create("Europe/Berlin", [EARLY])
    day = calendar.day_period(date(2024, 6, 3))
    segments = calendar.segments(day.start, day.end)
    assert [(s.start, s.end, s.kind, s.reason) for s in segments] == [
        (utc(2024, 6, 2, 22), utc(2024, 6, 3, 4), SegmentKind.NO_SHIFT, ""),
        (utc(2024, 6, 3, 4), utc(2024, 6, 3, 8), SegmentKind.SCHEDULED, ""),
        (utc(2024, 6, 3, 8), utc(2024, 6, 3, 8, 30), SegmentKind.PLANNED_STOP, "lunch"),
        (utc(2024, 6, 3, 8, 30), utc(2024, 6, 3, 12, 30), SegmentKind.SCHEDULED, ""),
        (utc(2024, 6, 3, 12, 30), utc(2024, 6, 3, 22), SegmentKind.NO_SHIFT, ""),
    ]
    assert calendar.is_scheduled(utc(2024, 6, 3, 5))
    assert not calendar.is_scheduled(utc(2024, 6, 3, 8, 15))
    assert not calendar.is_scheduled(utc(2024, 6, 3, 13))


def test_factory_weekdays_holidays_and_dated_stops() -> None:
    maintenance = Period(utc(2024, 6, 4, 4), utc(2024, 6, 4, 5), "maintenance")
    calendar = ShiftCalendar.create(
        "Europe/Berlin", [EARLY], extra_stops=[maintenance], holidays={date(2024, 6, 5)}
    )
    shifts = calendar.shifts_between(utc(2024, 6, 3), utc(2024, 6, 10))
    assert [s.day for s in shifts] == [
        date(2024, 6, 3),
        date(2024, 6, 4),
        date(2024, 6, 6),
        date(2024, 6, 7),
    ]
    segments = calendar.segments(utc(2024, 6, 4, 4), utc(2024, 6, 4, 6))
    assert [(s.kind, s.reason) for s in segments] == [
        (SegmentKind.PLANNED_STOP, "maintenance"),
        (SegmentKind.SCHEDULED, ""),
    ]


def test_factory_planned_stop_outside_its_shift_is_refused() -> None:
    bad = ShiftPattern(
        "early", time(6), time(14), planned_stops=(PlannedStop("x", time(5), time(7)),)
    )
    calendar = ShiftCalendar.create("UTC", [bad])
    with pytest.raises(ValueError, match="outside shift"):
        calendar.shifts_between(utc(2024, 6, 3), utc(2024, 6, 4))


def test_factory_weekday_numbers_are_checked() -> None:
    with pytest.raises(ValueError, match="weekdays"):
        ShiftPattern("x", time(6), time(14), weekdays=frozenset({7}))
