"""The OEE engine: one machine over one period, and roll-ups computed from summed times.

The time waterfall (all in minutes)::

    calendar time
      - no-shift time                               -> shift time
      - calendar planned stops, excluded states     -> planned production time
      - availability stops (and unknown, by policy) -> run time
      - performance losses (minor stops, speed)     -> net run time    = ideal cycle x total
      - quality losses (startup, production)        -> fully productive = ideal cycle x good

    availability = run / planned         performance = net run / run (capped at 1)
    quality      = fully productive / net run (good / total for one product)
    OEE          = fully productive / planned = A x P x Q
    TEEP         = fully productive / calendar

A factor that cannot be computed is ``None`` and :attr:`OEEResult.flags` says why; no NaN is
ever produced. Roll-ups sum the times and counts of their members and compute the factors from
the sums, never by averaging factors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from integrations.factory_machine.counters import CountDelta
from integrations.factory_machine.shifts import (
    CalendarSegment,
    Period,
    SegmentKind,
    ShiftCalendar,
    always_scheduled,
)
from integrations.factory_machine.states import (
    LossCategory,
    LossClass,
    LossPolicy,
    StateInterval,
    build_timeline,
    describe,
)

_EPSILON = timedelta(microseconds=1)
_Number = TypeVar("_Number", int, float)


class OEEFlag(StrEnum):
    """Why a value is missing or should not be trusted."""

    NO_PLANNED_TIME = "no_planned_time"
    NO_RUN_TIME = "no_run_time"
    NO_PARTS = "no_parts"
    NO_IDEAL_CYCLE_TIME = "no_ideal_cycle_time"
    PERFORMANCE_CAPPED = "performance_capped"
    REJECTS_EXCEED_TOTAL = "rejects_exceed_total"
    COUNTS_WITHOUT_RUN_TIME = "counts_without_run_time"
    INCOMPLETE_DATA = "incomplete_data"


_PROPAGATED_FLAGS = frozenset(
    {
        OEEFlag.NO_IDEAL_CYCLE_TIME,
        OEEFlag.PERFORMANCE_CAPPED,
        OEEFlag.REJECTS_EXCEED_TOTAL,
        OEEFlag.COUNTS_WITHOUT_RUN_TIME,
    }
)


@dataclass(frozen=True, slots=True)
class IdealCycleTimes:
    """Ideal (fastest sustainable) time per part: a default and optional per-product values."""

    default: timedelta | None = None
    per_product: Mapping[str, timedelta] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        for value in (self.default, *self.per_product.values()):
            if value is not None and value <= timedelta(0):
                raise ValueError(f"ideal cycle time must be positive: {value}")

    def for_product(self, product: str | None) -> timedelta | None:
        """The product's ideal cycle time, else the default, else ``None``."""
        if product is not None and product in self.per_product:
            return self.per_product[product]
        return self.default


@dataclass(frozen=True, slots=True)
class ProductRun:
    """The machine made ``product`` during ``[start, end)``."""

    start: datetime
    end: datetime
    product: str


@dataclass(frozen=True, slots=True)
class OEEConfig:
    """Per-machine engine settings.

    ``max_gap`` is the longest stretch without state data that still continues the previous
    state; ``startup_window`` (optional) makes rejects counted that long after production
    (re)starts following a stop count as startup rejects rather than production rejects.
    """

    ideal_cycle: IdealCycleTimes = field(default_factory=IdealCycleTimes)
    policy: LossPolicy = field(default_factory=LossPolicy)
    max_gap: timedelta = timedelta(minutes=5)
    startup_window: timedelta | None = None


@dataclass(frozen=True, slots=True)
class MachineInput:
    """What one machine reported: state intervals, part and reject deltas, product runs."""

    machine_id: str
    states: Sequence[StateInterval]
    parts: Sequence[CountDelta] = ()
    rejects: Sequence[CountDelta] = ()
    products: Sequence[ProductRun] = ()


@dataclass(frozen=True, slots=True)
class DowntimeReason:
    """Stop time in one state code inside planned time."""

    code: int
    name: str
    loss_class: LossClass
    minutes: float
    occurrences: int


@dataclass(frozen=True, slots=True)
class SixBigLosses:
    """The six big losses in minutes (and reject counts); ``None`` when not computable."""

    breakdown_minutes: float
    setup_minutes: float
    minor_stop_minutes: float | None
    reduced_speed_minutes: float | None
    startup_reject_minutes: float | None
    production_reject_minutes: float | None
    startup_reject_count: int
    production_reject_count: int


@dataclass(frozen=True, slots=True)
class OEEResult:
    """OEE of a machine (or a roll-up) over a period; factors are in ``[0, 1]`` or ``None``.

    Minute fields: ``calendar`` is the whole period; ``shift`` the part inside shifts;
    ``planned_stop`` the calendar's planned stops within shift time; ``excluded_state`` time in
    excluded states (and unknown time when the policy excludes it); ``planned`` = shift -
    planned_stop - excluded_state = run + stop; ``unknown`` is time without data inside
    planned-for time; ``net_run`` and ``fully_productive`` are ideal-cycle times of all and of
    good parts. ``data_completeness`` = 1 - unknown / (shift - planned_stop).
    """

    scope: str
    period: Period
    calendar_minutes: float
    shift_minutes: float
    planned_stop_minutes: float
    excluded_state_minutes: float
    planned_minutes: float
    run_minutes: float
    stop_minutes: float
    unknown_minutes: float
    net_run_minutes: float | None
    fully_productive_minutes: float | None
    total_count: int
    reject_count: int
    good_count: int | None
    availability: float | None
    performance: float | None
    quality: float | None
    oee: float | None
    teep: float | None
    performance_raw: float | None
    performance_capped: bool
    data_completeness: float | None
    six_big_losses: SixBigLosses
    downtime_reasons: tuple[DowntimeReason, ...]
    flags: tuple[OEEFlag, ...]
    members: tuple[str, ...] = ()

    def top_downtime_reasons(self, limit: int = 5) -> tuple[DowntimeReason, ...]:
        """The ``limit`` state codes with the most stop minutes."""
        return self.downtime_reasons[:limit]


@dataclass(slots=True)
class _Tally:
    shift: float = 0.0
    planned_stop: float = 0.0
    excluded_state: float = 0.0
    run: float = 0.0
    stop: float = 0.0
    unknown: float = 0.0
    breakdown: float = 0.0
    setup: float = 0.0
    minor_stop: float = 0.0
    reasons: dict[int, list[float]] = field(default_factory=dict)
    seen: set[tuple[int, int]] = field(default_factory=set)
    startups: list[datetime] = field(default_factory=list)

    def add_reason(self, code: int, minutes: float, interval_index: int) -> None:
        entry = self.reasons.setdefault(code, [0.0, 0.0])
        entry[0] += minutes
        if (code, interval_index) not in self.seen:
            self.seen.add((code, interval_index))
            entry[1] += 1


def _minutes(span: timedelta) -> float:
    return span.total_seconds() / 60.0


def _overlay(
    timeline: Sequence[StateInterval], segments: Sequence[CalendarSegment]
) -> Iterable[tuple[datetime, datetime, int, int, CalendarSegment]]:
    """Yield (start, end, code, timeline index, segment) for every common piece."""
    i = j = 0
    while i < len(timeline) and j < len(segments):
        state, segment = timeline[i], segments[j]
        start, end = max(state.start, segment.start), min(state.end, segment.end)
        if end > start:
            yield start, end, state.code, i, segment
        if state.end <= segment.end:
            i += 1
        else:
            j += 1


def _account(
    timeline: Sequence[StateInterval],
    segments: Sequence[CalendarSegment],
    policy: LossPolicy,
    producing_before: bool,
) -> _Tally:
    tally = _Tally()
    was_producing = producing_before
    for start, end, code, index, segment in _overlay(timeline, segments):
        minutes = _minutes(end - start)
        producing = False
        if segment.kind is not SegmentKind.NO_SHIFT:
            tally.shift += minutes
        if segment.kind is SegmentKind.PLANNED_STOP:
            tally.planned_stop += minutes
        elif segment.kind is SegmentKind.SCHEDULED:
            raw_class, counted = policy.classify(code), policy.counted_class(code)
            if raw_class is LossClass.UNKNOWN:
                tally.unknown += minutes
            if counted is LossClass.EXCLUDED:
                tally.excluded_state += minutes
            elif counted is LossClass.AVAILABILITY:
                tally.stop += minutes
                tally.add_reason(code, minutes, index)
                if describe(code).category is LossCategory.SETUP:
                    tally.setup += minutes
                elif raw_class is not LossClass.UNKNOWN:
                    tally.breakdown += minutes
            else:
                producing = True
                tally.run += minutes
                if counted is LossClass.PERFORMANCE:
                    tally.minor_stop += minutes
                    tally.add_reason(code, minutes, index)
        if producing and not was_producing:
            tally.startups.append(start)
        was_producing = producing
    return tally


def _product_at(products: Sequence[ProductRun], instant: datetime) -> str | None:
    found: ProductRun | None = None
    for run in products:
        if run.start <= instant < run.end and (found is None or run.start >= found.start):
            found = run
    return found.product if found else None


@dataclass(frozen=True, slots=True)
class _Counted:
    count: int
    ideal_minutes: float | None


def _count(deltas: Iterable[CountDelta], machine: MachineInput, ideal: IdealCycleTimes) -> _Counted:
    count, ideal_total, missing = 0, 0.0, False
    for delta in deltas:
        count += delta.count
        cycle = ideal.for_product(_product_at(machine.products, delta.ts))
        if cycle is None:
            missing = True
        else:
            ideal_total += delta.count * _minutes(cycle)
    return _Counted(count, None if missing else ideal_total)


def _in_windows(instant: datetime, starts: Sequence[datetime], width: timedelta | None) -> bool:
    return width is not None and any(start <= instant < start + width for start in starts)


def compute_oee(
    machine: MachineInput,
    period: Period,
    config: OEEConfig,
    calendar: ShiftCalendar | None = None,
) -> OEEResult:
    """Compute OEE for one machine over ``period`` (a shift, a day, any window).

    State intervals are clipped to the period and to the calendar's segments (no calendar:
    the whole period is shift time). Parts and rejects are the deltas timestamped inside the
    period, wherever they fall in it.
    """
    timeline = build_timeline(machine.states, period.start, period.end, config.max_gap)
    if calendar is None:
        segments = always_scheduled(period.start, period.end)
        producing_before = True
    else:
        segments = calendar.segments(period.start, period.end)
        producing_before = calendar.is_scheduled(period.start - _EPSILON)
    tally = _account(timeline, segments, config.policy, producing_before)

    window = [d for d in machine.parts if period.start <= d.ts < period.end]
    reject_window = [d for d in machine.rejects if period.start <= d.ts < period.end]
    startup_rejects = [
        d for d in reject_window if _in_windows(d.ts, tally.startups, config.startup_window)
    ]
    parts = _count(window, machine, config.ideal_cycle)
    rejects = _count(reject_window, machine, config.ideal_cycle)
    startup = _count(startup_rejects, machine, config.ideal_cycle)

    flags: set[OEEFlag] = set()
    good = parts.count - rejects.count
    if good < 0:
        flags.add(OEEFlag.REJECTS_EXCEED_TOTAL)
    if parts.count and parts.ideal_minutes is None:
        flags.add(OEEFlag.NO_IDEAL_CYCLE_TIME)
    if parts.count and tally.run == 0:
        flags.add(OEEFlag.COUNTS_WITHOUT_RUN_TIME)

    ideal = _ideal_times(parts, rejects, startup, tally.run)
    if ideal.performance_raw is not None and ideal.performance_raw > 1.0:
        flags.add(OEEFlag.PERFORMANCE_CAPPED)

    losses = _six_big_losses(tally, ideal, (startup.count, rejects.count - startup.count))
    return _result(
        scope=machine.machine_id,
        period=period,
        calendar_minutes=_minutes(period.duration),
        tally=tally,
        net_run=ideal.net_run,
        fully_productive=ideal.fully_productive,
        total=parts.count,
        rejects=rejects.count,
        good=good if good >= 0 else None,
        performance_raw=ideal.performance_raw,
        capped=OEEFlag.PERFORMANCE_CAPPED in flags,
        losses=losses,
        reasons=_reasons(tally.reasons),
        flags=flags,
        members=(),
    )


@dataclass(frozen=True, slots=True)
class _IdealTimes:
    net_run: float | None
    fully_productive: float | None
    performance_raw: float | None = None
    startup_share: float | None = None


def _ideal_times(parts: _Counted, rejects: _Counted, startup: _Counted, run: float) -> _IdealTimes:
    """Net run and fully productive minutes; quality weighs rejects by their ideal time."""
    if parts.count == 0:
        return _IdealTimes(0.0, 0.0 if rejects.count == 0 else None)
    if parts.ideal_minutes is None or run == 0:
        return _IdealTimes(None, None)
    raw = parts.ideal_minutes / run
    net_run = min(parts.ideal_minutes, run)
    reject_ideal = rejects.ideal_minutes
    if rejects.count > parts.count or reject_ideal is None:
        return _IdealTimes(net_run, None, raw)
    quality = max(0.0, 1.0 - reject_ideal / parts.ideal_minutes)
    share: float | None = 0.0
    if reject_ideal > 0:
        share = None if startup.ideal_minutes is None else startup.ideal_minutes / reject_ideal
    return _IdealTimes(net_run, net_run * quality, raw, share)


def _six_big_losses(
    tally: _Tally, ideal: _IdealTimes, reject_counts: tuple[int, int]
) -> SixBigLosses:
    net_run, fully_productive = ideal.net_run, ideal.fully_productive
    minor: float | None = None
    reduced: float | None = None
    if net_run is not None:
        performance_loss = max(0.0, tally.run - net_run)
        minor = min(tally.minor_stop, performance_loss)
        reduced = performance_loss - minor
    startup_minutes: float | None = None
    production_minutes: float | None = None
    if net_run is not None and fully_productive is not None and ideal.startup_share is not None:
        quality_loss = net_run - fully_productive
        startup_minutes = quality_loss * ideal.startup_share
        production_minutes = quality_loss - startup_minutes
    return SixBigLosses(
        breakdown_minutes=tally.breakdown,
        setup_minutes=tally.setup,
        minor_stop_minutes=minor,
        reduced_speed_minutes=reduced,
        startup_reject_minutes=startup_minutes,
        production_reject_minutes=production_minutes,
        startup_reject_count=reject_counts[0],
        production_reject_count=reject_counts[1],
    )


def _reasons(raw: Mapping[int, Sequence[float]]) -> tuple[DowntimeReason, ...]:
    reasons = [
        DowntimeReason(
            code,
            describe(code).name,
            describe(code).loss_class,
            minutes,
            int(occurrences),
        )
        for code, (minutes, occurrences) in raw.items()
    ]
    return tuple(sorted(reasons, key=lambda reason: (-reason.minutes, reason.code)))


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return min(1.0, max(0.0, numerator / denominator))


def _result(
    *,
    scope: str,
    period: Period,
    calendar_minutes: float,
    tally: _Tally,
    net_run: float | None,
    fully_productive: float | None,
    total: int,
    rejects: int,
    good: int | None,
    performance_raw: float | None,
    capped: bool,
    losses: SixBigLosses,
    reasons: tuple[DowntimeReason, ...],
    flags: set[OEEFlag],
    members: tuple[str, ...],
) -> OEEResult:
    planned = tally.run + tally.stop
    if planned <= 0:
        flags.add(OEEFlag.NO_PLANNED_TIME)
    elif tally.run <= 0:
        flags.add(OEEFlag.NO_RUN_TIME)
    if total == 0:
        flags.add(OEEFlag.NO_PARTS)
    if good is None:
        fully_productive = None
    quality = _ratio(fully_productive, net_run)
    if quality is None and net_run is None and good is not None and total > 0:
        quality = good / total
    observed = tally.shift - tally.planned_stop
    completeness = _ratio(observed - tally.unknown, observed)
    if completeness is not None and completeness < 1.0:
        flags.add(OEEFlag.INCOMPLETE_DATA)
    return OEEResult(
        scope=scope,
        period=period,
        calendar_minutes=calendar_minutes,
        shift_minutes=tally.shift,
        planned_stop_minutes=tally.planned_stop,
        excluded_state_minutes=tally.excluded_state,
        planned_minutes=planned,
        run_minutes=tally.run,
        stop_minutes=tally.stop,
        unknown_minutes=tally.unknown,
        net_run_minutes=net_run,
        fully_productive_minutes=fully_productive,
        total_count=total,
        reject_count=rejects,
        good_count=good,
        availability=_ratio(tally.run, planned),
        performance=_ratio(net_run, tally.run),
        quality=quality,
        oee=_ratio(fully_productive, planned),
        teep=_ratio(fully_productive, calendar_minutes),
        performance_raw=performance_raw,
        performance_capped=capped,
        data_completeness=completeness,
        six_big_losses=losses,
        downtime_reasons=reasons,
        flags=tuple(sorted(flags)),
        members=members,
    )


def shift_results(
    machine: MachineInput,
    calendar: ShiftCalendar,
    config: OEEConfig,
    start: datetime,
    end: datetime,
) -> list[OEEResult]:
    """One result per shift occurrence of ``calendar`` overlapping ``[start, end)``."""
    return [
        compute_oee(machine, shift.period, config, calendar)
        for shift in calendar.shifts_between(start, end)
    ]


def _sum_or_none(values: Iterable[_Number | None], zero: _Number) -> _Number | None:
    """Sum the values; ``None`` as soon as one member's value is unknown."""
    total = zero
    for value in values:
        if value is None:
            return None
        total += value
    return total


def rollup(results: Sequence[OEEResult], scope: str, label: str = "") -> OEEResult:
    """Combine machine or period results (a line, an area, a site, a week) into one.

    Minutes and counts are summed and every factor is recomputed from the sums, so a machine
    with more planned time weighs more; averaging the members' OEE values would not.
    Data-quality flags of the members carry over.
    """
    if not results:
        raise ValueError("rollup needs at least one result")
    tally = _Tally(
        shift=sum(r.shift_minutes for r in results),
        planned_stop=sum(r.planned_stop_minutes for r in results),
        excluded_state=sum(r.excluded_state_minutes for r in results),
        run=sum(r.run_minutes for r in results),
        stop=sum(r.stop_minutes for r in results),
        unknown=sum(r.unknown_minutes for r in results),
    )
    merged: dict[int, list[float]] = {}
    for result in results:
        for reason in result.downtime_reasons:
            entry = merged.setdefault(reason.code, [0.0, 0.0])
            entry[0] += reason.minutes
            entry[1] += reason.occurrences
    losses = [r.six_big_losses for r in results]
    combined = SixBigLosses(
        breakdown_minutes=sum(x.breakdown_minutes for x in losses),
        setup_minutes=sum(x.setup_minutes for x in losses),
        minor_stop_minutes=_sum_or_none((x.minor_stop_minutes for x in losses), 0.0),
        reduced_speed_minutes=_sum_or_none((x.reduced_speed_minutes for x in losses), 0.0),
        startup_reject_minutes=_sum_or_none((x.startup_reject_minutes for x in losses), 0.0),
        production_reject_minutes=_sum_or_none((x.production_reject_minutes for x in losses), 0.0),
        startup_reject_count=sum(x.startup_reject_count for x in losses),
        production_reject_count=sum(x.production_reject_count for x in losses),
    )
    start = min(r.period.start for r in results)
    end = max(r.period.end for r in results)
    return _result(
        scope=scope,
        period=Period(start, end, label),
        calendar_minutes=sum(r.calendar_minutes for r in results),
        tally=tally,
        net_run=_sum_or_none((r.net_run_minutes for r in results), 0.0),
        fully_productive=_sum_or_none((r.fully_productive_minutes for r in results), 0.0),
        total=sum(r.total_count for r in results),
        rejects=sum(r.reject_count for r in results),
        good=_sum_or_none((r.good_count for r in results), 0),
        performance_raw=None,
        capped=any(r.performance_capped for r in results),
        losses=combined,
        reasons=_reasons(merged),
        flags={flag for r in results for flag in r.flags if flag in _PROPAGATED_FLAGS},
        members=tuple(r.scope for r in results),
    )
