"""Machine run states: the numeric state-code table, loss classification and state timelines.

State codes follow the ten-thousand classes used by the United Manufacturing Hub: ``10000``
producing at full speed, ``40000`` unspecified stop, ``180000`` equipment failure, and so on.
A sub-code (``40100`` idle, ``180100`` a plant-specific failure) inherits the entry of its
ten-thousand class unless the table or the :class:`LossPolicy` lists it itself.

Everything here is pure: no I/O, no clocks, aware datetimes in, plain values out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

CLASS_WIDTH = 10_000
UNKNOWN_CODE = 30_000


class LossClass(StrEnum):
    """Where time in a state goes in the OEE time waterfall."""

    PRODUCING = "producing"
    """Run time: the machine makes parts (full or reduced speed)."""
    AVAILABILITY = "availability"
    """A stop that is taken out of run time (breakdowns, changeovers)."""
    PERFORMANCE = "performance"
    """A short stop that stays inside run time and shows up as lower performance."""
    EXCLUDED = "excluded"
    """Time outside planned production: leaves numerator and denominator."""
    UNKNOWN = "unknown"
    """No data; counted as set by :attr:`LossPolicy.unknown_as`."""


class LossCategory(StrEnum):
    """The six-big-losses bucket a state's time lands in (besides producing and planned)."""

    PRODUCING = "producing"
    BREAKDOWN = "breakdown"
    SETUP = "setup"
    MINOR_STOP = "minor_stop"
    PLANNED = "planned"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class StateCode:
    """One row of the state-code table."""

    code: int
    name: str
    loss_class: LossClass
    category: LossCategory


def _row(code: int, name: str, loss_class: LossClass, category: LossCategory) -> StateCode:
    return StateCode(code, name, loss_class, category)


_P, _A, _F, _X, _U = (
    LossClass.PRODUCING,
    LossClass.AVAILABILITY,
    LossClass.PERFORMANCE,
    LossClass.EXCLUDED,
    LossClass.UNKNOWN,
)
_RUN, _BRK, _SET, _MIN, _PLN = (
    LossCategory.PRODUCING,
    LossCategory.BREAKDOWN,
    LossCategory.SETUP,
    LossCategory.MINOR_STOP,
    LossCategory.PLANNED,
)

STATE_CODES: dict[int, StateCode] = {
    row.code: row
    for row in (
        _row(10_000, "producing_full_speed", _P, _RUN),
        _row(20_000, "producing_reduced_speed", _P, _RUN),
        _row(30_000, "unknown", _U, LossCategory.UNKNOWN),
        _row(40_000, "unspecified_stop", _A, _BRK),
        _row(40_100, "idle", _F, _MIN),
        _row(40_200, "operator_interaction", _A, _BRK),
        _row(50_000, "microstop", _F, _MIN),
        _row(60_000, "inlet_jam", _F, _MIN),
        _row(70_000, "outlet_jam", _F, _MIN),
        _row(80_000, "congestion_bypass", _F, _MIN),
        _row(90_000, "material_issue", _A, _BRK),
        _row(100_000, "changeover", _A, _SET),
        _row(100_100, "changeover_preparation", _A, _SET),
        _row(100_200, "changeover_postprocessing", _A, _SET),
        _row(110_000, "cleaning", _A, _SET),
        _row(120_000, "emptying", _A, _SET),
        _row(130_000, "setting_up", _A, _SET),
        _row(140_000, "operator_not_at_machine", _A, _BRK),
        _row(150_000, "operator_break", _X, _PLN),
        _row(160_000, "no_shift", _X, _PLN),
        _row(170_000, "no_order", _X, _PLN),
        _row(180_000, "equipment_failure", _A, _BRK),
        _row(190_000, "external_failure", _A, _BRK),
        _row(200_000, "external_interference", _A, _BRK),
        _row(210_000, "preventive_maintenance", _X, _PLN),
        _row(220_000, "technical_other", _A, _BRK),
    )
}
"""The built-in code table; see docs/factory-oee.md for the same table with its rationale."""

RUN_STATE_CODES: dict[str, int] = {"running": 10_000, "idle": 40_100, "down": 40_000}
"""Plain run-state words accepted by :func:`code_for_run_state`."""


def state_class(code: int) -> int:
    """Return the ten-thousand class of ``code`` (``40100`` -> ``40000``)."""
    if code < 0:
        raise ValueError(f"state code must not be negative: {code}")
    return code // CLASS_WIDTH * CLASS_WIDTH


def describe(code: int) -> StateCode:
    """Return the table row for ``code``: its own row, else its class's, else an unlisted stop.

    A code that neither it nor its class appears in the table is an unplanned stop
    (availability loss, category breakdown) named ``unlisted_<code>``.
    """
    row = STATE_CODES.get(code) or STATE_CODES.get(state_class(code))
    if row is None:
        return StateCode(code, f"unlisted_{code}", LossClass.AVAILABILITY, LossCategory.BREAKDOWN)
    if row.code != code:
        return StateCode(code, row.name, row.loss_class, row.category)
    return row


def code_for_run_state(state: str, reason: int | None = None) -> int:
    """Map a plain run state (``running``/``idle``/``down``) and optional reason to a code.

    A reason code, when given, is the state code itself (``down`` with reason ``180000`` is an
    equipment failure); without one the word maps through :data:`RUN_STATE_CODES`.
    """
    key = state.strip().lower()
    if key not in RUN_STATE_CODES:
        raise ValueError(f"unknown run state {state!r}; expected one of {sorted(RUN_STATE_CODES)}")
    if reason is None:
        return RUN_STATE_CODES[key]
    state_class(reason)
    return reason


@dataclass(frozen=True, slots=True)
class LossPolicy:
    """Which state codes count as availability loss, performance loss or excluded time.

    Each set may hold exact codes (``40100``) or ten-thousand classes (``40000``). Lookup order
    for a code: an exact listing, then its class's listing, then the built-in table. Codes in
    ``10000..29999`` are always producing. ``unknown_as`` decides whether unknown time (data
    gaps, code ``30000``) is a stop inside planned time (``AVAILABILITY``, the default: a gap
    never improves OEE) or leaves planned time (``EXCLUDED``).
    """

    availability: frozenset[int] = field(default_factory=frozenset)
    performance: frozenset[int] = field(default_factory=frozenset)
    excluded: frozenset[int] = field(default_factory=frozenset)
    unknown_as: LossClass = LossClass.AVAILABILITY

    def __post_init__(self) -> None:
        sets = (self.availability, self.performance, self.excluded)
        for i, first in enumerate(sets):
            for second in sets[i + 1 :]:
                if both := first & second:
                    raise ValueError(f"state codes listed in two loss classes: {sorted(both)}")
        for code in self.availability | self.performance | self.excluded:
            if state_class(code) in (10_000, 20_000, UNKNOWN_CODE):
                raise ValueError(f"state code {code} is producing or unknown and cannot be moved")
        if self.unknown_as not in (LossClass.AVAILABILITY, LossClass.EXCLUDED):
            raise ValueError("unknown_as must be AVAILABILITY or EXCLUDED")

    def classify(self, code: int) -> LossClass:
        """Return the loss class of ``code`` under this policy (``UNKNOWN`` stays ``UNKNOWN``)."""
        for candidate in (code, state_class(code)):
            if candidate in self.availability:
                return LossClass.AVAILABILITY
            if candidate in self.performance:
                return LossClass.PERFORMANCE
            if candidate in self.excluded:
                return LossClass.EXCLUDED
        return describe(code).loss_class

    def counted_class(self, code: int) -> LossClass:
        """Like :meth:`classify`, with ``UNKNOWN`` resolved through ``unknown_as``."""
        loss_class = self.classify(code)
        return self.unknown_as if loss_class is LossClass.UNKNOWN else loss_class


def _require_aware(*stamps: datetime) -> None:
    for stamp in stamps:
        if stamp.tzinfo is None or stamp.utcoffset() is None:
            raise ValueError(f"timestamps must be timezone-aware: {stamp!r}")


@dataclass(frozen=True, slots=True)
class StateInterval:
    """The machine was in state ``code`` during ``[start, end)`` (aware datetimes)."""

    start: datetime
    end: datetime
    code: int

    def __post_init__(self) -> None:
        _require_aware(self.start, self.end)
        if self.end < self.start:
            raise ValueError(f"interval ends before it starts: {self.start} > {self.end}")
        state_class(self.code)

    @property
    def duration(self) -> timedelta:
        """Length of the interval."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class StateSample:
    """A periodic report: the machine was in state ``code`` at ``ts``."""

    ts: datetime
    code: int

    def __post_init__(self) -> None:
        _require_aware(self.ts)
        state_class(self.code)


def intervals_from_samples(
    samples: Iterable[StateSample], max_gap: timedelta, end: datetime
) -> list[StateInterval]:
    """Turn periodic state reports into intervals.

    Each sample's state holds until the next sample (the last one until ``end``). When that
    stretch is longer than ``max_gap`` the whole stretch is left uncovered, so that
    :func:`build_timeline` reports it as unknown. Samples are sorted by time; a repeated
    timestamp keeps the sample given last, so re-sent batches are idempotent.
    """
    _require_aware(end)
    by_ts: dict[datetime, StateSample] = {}
    for sample in samples:
        by_ts[sample.ts] = sample
    ordered = [by_ts[ts] for ts in sorted(by_ts) if ts < end]
    result: list[StateInterval] = []
    for index, sample in enumerate(ordered):
        until = ordered[index + 1].ts if index + 1 < len(ordered) else end
        if until - sample.ts <= max_gap:
            result.append(StateInterval(sample.ts, until, sample.code))
    return result


def build_timeline(
    intervals: Iterable[StateInterval], start: datetime, end: datetime, max_gap: timedelta
) -> list[StateInterval]:
    """Return non-overlapping intervals covering exactly ``[start, end)``.

    Intervals are clipped to the window and sorted by start; where two overlap, the one that
    starts later wins from its start on. Uncovered time up to ``max_gap`` long continues the
    preceding state (report jitter); longer uncovered time, and uncovered time at the start of
    the window, becomes :data:`UNKNOWN_CODE`. Adjacent pieces with the same code are merged.
    """
    _require_aware(start, end)
    if end <= start:
        return []
    clipped = sorted(
        (
            StateInterval(max(item.start, start), min(item.end, end), item.code)
            for item in intervals
            if item.end > start and item.start < end and item.end > item.start
        ),
        key=lambda item: item.start,
    )
    pieces: list[StateInterval] = []
    cursor = start
    for index, item in enumerate(clipped):
        following = clipped[index + 1].start if index + 1 < len(clipped) else item.end
        item_end = min(item.end, following)
        if item.start > cursor:
            short = bool(pieces) and item.start - cursor <= max_gap
            gap_code = pieces[-1].code if short else UNKNOWN_CODE
            pieces.append(StateInterval(cursor, item.start, gap_code))
        if item_end > max(item.start, cursor):
            pieces.append(StateInterval(max(item.start, cursor), item_end, item.code))
            cursor = item_end
    if cursor < end:
        gap_code = pieces[-1].code if pieces and end - cursor <= max_gap else UNKNOWN_CODE
        pieces.append(StateInterval(cursor, end, gap_code))
    return merge_adjacent(pieces)


def merge_adjacent(pieces: Sequence[StateInterval]) -> list[StateInterval]:
    """Merge touching intervals that carry the same code."""
    merged: list[StateInterval] = []
    for piece in pieces:
        if merged and merged[-1].code == piece.code and merged[-1].end == piece.start:
            merged[-1] = StateInterval(merged[-1].start, piece.end, piece.code)
        else:
            merged.append(piece)
    return merged


def code_at(intervals: Sequence[StateInterval], instant: datetime) -> int | None:
    """Return the code of the interval covering ``instant`` in a timeline, or ``None``."""
    for item in intervals:
        if item.start <= instant < item.end:
            return item.code
    return None
