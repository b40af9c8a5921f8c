"""Shift calendar: weekly shift patterns with planned stops, in a named time zone.

Shift times are local wall-clock times in the calendar's zone (``zoneinfo``); the calendar
turns them into aware UTC instants, so a night shift on a daylight-saving change day is one
hour shorter or longer in real time. A shift whose end is not after its start crosses
midnight. A wall-clock time that does not exist (spring forward) or exists twice (fall back)
is resolved the way :mod:`zoneinfo` does with ``fold=0``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from zoneinfo import ZoneInfo

ALL_WEEKDAYS = frozenset(range(7))


def _require_aware(*stamps: datetime) -> None:
    for stamp in stamps:
        if stamp.tzinfo is None or stamp.utcoffset() is None:
            raise ValueError(f"timestamps must be timezone-aware: {stamp!r}")


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting window ``[start, end)`` with a label (shift name, day, week, …)."""

    start: datetime
    end: datetime
    label: str = ""

    def __post_init__(self) -> None:
        _require_aware(self.start, self.end)
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start} > {self.end}")

    @property
    def duration(self) -> timedelta:
        """Length of the period."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class PlannedStop:
    """A recurring planned stop inside a shift (break, planned cleaning) in local time."""

    name: str
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class ShiftPattern:
    """A recurring shift: local start and end, the weekdays it starts on (Monday = 0)."""

    name: str
    start: time
    end: time
    weekdays: frozenset[int] = ALL_WEEKDAYS
    planned_stops: tuple[PlannedStop, ...] = ()

    def __post_init__(self) -> None:
        if not self.weekdays <= ALL_WEEKDAYS:
            raise ValueError(f"weekdays must be 0 (Monday) to 6: {sorted(self.weekdays)}")


@dataclass(frozen=True, slots=True)
class Shift:
    """One occurrence of a shift pattern: its period and its planned stops (aware, UTC)."""

    name: str
    day: date
    period: Period
    planned_stops: tuple[Period, ...]


class SegmentKind(StrEnum):
    """What the calendar says about a stretch of time."""

    SCHEDULED = "scheduled"
    NO_SHIFT = "no_shift"
    PLANNED_STOP = "planned_stop"


@dataclass(frozen=True, slots=True)
class CalendarSegment:
    """A stretch ``[start, end)`` of one kind; ``reason`` names the planned stop."""

    start: datetime
    end: datetime
    kind: SegmentKind
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ShiftCalendar:
    """Shift patterns, one-off planned stops and non-working days in one time zone.

    ``extra_stops`` are dated planned stops (a planned maintenance window) that apply
    wherever they overlap a shift; ``holidays`` are local dates on which no shift starts.
    """

    timezone: ZoneInfo
    patterns: tuple[ShiftPattern, ...]
    extra_stops: tuple[Period, ...] = ()
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def create(
        cls,
        timezone: str | ZoneInfo,
        patterns: Iterable[ShiftPattern],
        extra_stops: Iterable[Period] = (),
        holidays: Collection[date] = (),
    ) -> ShiftCalendar:
        """Build a calendar, accepting a zone name such as ``"Europe/Berlin"``."""
        zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
        return cls(zone, tuple(patterns), tuple(extra_stops), frozenset(holidays))

    def local_instant(self, day: date, clock: time) -> datetime:
        """Return the UTC instant of local wall-clock ``clock`` on ``day``."""
        return datetime.combine(day, clock, tzinfo=self.timezone).astimezone(UTC)

    def day_period(self, day: date) -> Period:
        """The local calendar day as a period (23 or 25 hours on a DST change day)."""
        start = self.local_instant(day, time())
        end = self.local_instant(day + timedelta(days=1), time())
        return Period(start, end, day.isoformat())

    def week_period(self, day: date) -> Period:
        """The local ISO week (Monday 00:00 to Monday 00:00) containing ``day``."""
        monday = day - timedelta(days=day.weekday())
        start = self.local_instant(monday, time())
        end = self.local_instant(monday + timedelta(days=7), time())
        year, week, _ = monday.isocalendar()
        return Period(start, end, f"{year}-W{week:02d}")

    def _occurrence(self, pattern: ShiftPattern, day: date) -> Shift:
        end_day = day if pattern.end > pattern.start else day + timedelta(days=1)
        start = self.local_instant(day, pattern.start)
        end = self.local_instant(end_day, pattern.end)
        stops = []
        for stop in pattern.planned_stops:
            stop_day = day if stop.start >= pattern.start else end_day
            stop_end_day = stop_day if stop.end > stop.start else stop_day + timedelta(days=1)
            stop_start = self.local_instant(stop_day, stop.start)
            stop_end = self.local_instant(stop_end_day, stop.end)
            if not start <= stop_start <= stop_end <= end:
                raise ValueError(f"planned stop {stop.name!r} lies outside shift {pattern.name!r}")
            stops.append(Period(stop_start, stop_end, stop.name))
        label = f"{day.isoformat()} {pattern.name}"
        return Shift(pattern.name, day, Period(start, end, label), tuple(stops))

    def shifts_between(self, start: datetime, end: datetime) -> list[Shift]:
        """Return the shift occurrences overlapping ``[start, end)``, ordered by start."""
        _require_aware(start, end)
        first = start.astimezone(self.timezone).date() - timedelta(days=1)
        last = end.astimezone(self.timezone).date()
        shifts: list[Shift] = []
        day = first
        while day <= last:
            if day not in self.holidays:
                for pattern in self.patterns:
                    if day.weekday() in pattern.weekdays:
                        shift = self._occurrence(pattern, day)
                        if shift.period.start < end and shift.period.end > start:
                            shifts.append(shift)
            day += timedelta(days=1)
        return sorted(shifts, key=lambda shift: (shift.period.start, shift.name))

    def segments(self, start: datetime, end: datetime) -> list[CalendarSegment]:
        """Split ``[start, end)`` into scheduled, planned-stop and no-shift segments.

        Overlapping shifts are united; a planned stop (of a shift or dated) wins over
        scheduled time and applies only inside shift time.
        """
        shifts = self.shifts_between(start, end)
        stops = [stop for shift in shifts for stop in shift.planned_stops]
        stops.extend(self.extra_stops)
        cuts = {start, end}
        for period in [shift.period for shift in shifts] + stops:
            cuts.update(t for t in (period.start, period.end) if start < t < end)
        ordered = sorted(cuts)
        result: list[CalendarSegment] = []
        for left, right in pairwise(ordered):
            in_shift = any(s.period.start <= left < s.period.end for s in shifts)
            stop = next((p for p in stops if p.start <= left < p.end), None)
            if not in_shift:
                segment = CalendarSegment(left, right, SegmentKind.NO_SHIFT)
            elif stop is not None:
                segment = CalendarSegment(left, right, SegmentKind.PLANNED_STOP, stop.label)
            else:
                segment = CalendarSegment(left, right, SegmentKind.SCHEDULED)
            if result and (result[-1].kind, result[-1].reason) == (segment.kind, segment.reason):
                segment = CalendarSegment(result[-1].start, right, segment.kind, segment.reason)
                result.pop()
            result.append(segment)
        return result

    def is_scheduled(self, instant: datetime) -> bool:
        """Whether ``instant`` falls in shift time outside any planned stop."""
        pieces = self.segments(instant, instant + timedelta(microseconds=1))
        return bool(pieces) and pieces[0].kind is SegmentKind.SCHEDULED


def always_scheduled(start: datetime, end: datetime) -> Sequence[CalendarSegment]:
    """Segments for a machine without a calendar: the whole window is scheduled."""
    _require_aware(start, end)
    return [CalendarSegment(start, end, SegmentKind.SCHEDULED)] if end > start else []
