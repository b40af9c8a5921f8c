"""SQL persistence of machine data: state intervals, per-minute counts, hourly sensor aggregates.

Raw readings are not stored here (the recorder keeps entity history); what OEE and the
reports need is kept compactly: one row per state interval, one per machine and minute with
parts and rejects, one per machine, sensor and hour with count, sum, min, max and threshold
breaches (sensor ``""`` counts every reading received, for data completeness). Writes are
additive upserts, so flushing partial buckets, restarts and several writers add up.
Every function here is blocking and runs in the database thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Float, Integer, String, cast, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from hub.api import Base

from .counters import CountDelta
from .states import StateInterval

READINGS_SENSOR = ""
"""The pseudo-sensor whose hourly count is the number of readings received."""


class StateIntervalRow(Base):
    """The machine was in state ``code`` from ``start_ts`` to ``end_ts`` (epoch seconds)."""

    __tablename__ = "factory_state_interval"

    machine: Mapped[str] = mapped_column(String(200), primary_key=True)
    start_ts: Mapped[float] = mapped_column(Float, primary_key=True)
    end_ts: Mapped[float] = mapped_column(Float, index=True)
    code: Mapped[int] = mapped_column(Integer)


class CountMinuteRow(Base):
    """Parts and rejects counted in the minute starting at ``minute_ts``."""

    __tablename__ = "factory_count_minute"

    machine: Mapped[str] = mapped_column(String(200), primary_key=True)
    minute_ts: Mapped[float] = mapped_column(Float, primary_key=True)
    parts: Mapped[int] = mapped_column(Integer, default=0)
    rejects: Mapped[int] = mapped_column(Integer, default=0)


class SensorHourRow(Base):
    """Aggregates of one sensor over the hour starting at ``hour_ts``."""

    __tablename__ = "factory_sensor_hour"

    machine: Mapped[str] = mapped_column(String(200), primary_key=True)
    sensor: Mapped[str] = mapped_column(String(100), primary_key=True)
    hour_ts: Mapped[float] = mapped_column(Float, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)
    minimum: Mapped[float] = mapped_column(Float)
    maximum: Mapped[float] = mapped_column(Float)
    breaches: Mapped[int] = mapped_column(Integer, default=0)


class CounterLastRow(Base):
    """The last raw value of a machine's counter, so a restart does not lose a step."""

    __tablename__ = "factory_counter_last"

    machine: Mapped[str] = mapped_column(String(200), primary_key=True)
    counter: Mapped[str] = mapped_column(String(16), primary_key=True)
    ts: Mapped[float] = mapped_column(Float)
    value: Mapped[int] = mapped_column(Integer)


@dataclass(slots=True)
class SensorBucket:
    """Running aggregates of one sensor in one hour (not yet written)."""

    count: int = 0
    total: float = 0.0
    minimum: float = float("inf")
    maximum: float = float("-inf")
    breaches: int = 0

    def add(self, value: float, breach: bool) -> None:
        """Fold one value in."""
        self.count += 1
        self.total += value
        self.minimum = min(self.minimum, value)
        self.maximum = max(self.maximum, value)
        if breach:
            self.breaches += 1


@dataclass(slots=True)
class Pending:
    """Everything one flush writes."""

    intervals: dict[tuple[str, float], tuple[float, int]]
    counts: dict[tuple[str, float], list[int]]
    sensors: dict[tuple[str, str, float], SensorBucket]
    counters: dict[tuple[str, str], tuple[float, int]]

    @classmethod
    def empty(cls) -> Pending:
        """A flush with nothing in it."""
        return cls({}, {}, {}, {})

    def __bool__(self) -> bool:
        return bool(self.intervals or self.counts or self.sensors or self.counters)


def _insert(session: Session, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def write_pending(session: Session, pending: Pending) -> None:
    """Upsert a flush (additive for counts and aggregates, last-wins for intervals)."""
    if pending.intervals:
        stmt = _insert(session, StateIntervalRow)
        stmt = stmt.on_conflict_do_update(
            index_elements=["machine", "start_ts"],
            set_={"end_ts": stmt.excluded.end_ts, "code": stmt.excluded.code},
        )
        rows = [
            {"machine": m, "start_ts": s, "end_ts": e, "code": c}
            for (m, s), (e, c) in pending.intervals.items()
        ]
        session.execute(stmt, rows)
    if pending.counts:
        stmt = _insert(session, CountMinuteRow)
        stmt = stmt.on_conflict_do_update(
            index_elements=["machine", "minute_ts"],
            set_={
                "parts": CountMinuteRow.parts + stmt.excluded.parts,
                "rejects": CountMinuteRow.rejects + stmt.excluded.rejects,
            },
        )
        rows = [
            {"machine": m, "minute_ts": t, "parts": p, "rejects": r}
            for (m, t), (p, r) in pending.counts.items()
        ]
        session.execute(stmt, rows)
    if pending.sensors:
        stmt = _insert(session, SensorHourRow)
        col = SensorHourRow
        stmt = stmt.on_conflict_do_update(
            index_elements=["machine", "sensor", "hour_ts"],
            set_={
                "count": col.count + stmt.excluded["count"],
                "total": col.total + stmt.excluded.total,
                "minimum": _least(session, col.minimum, stmt.excluded.minimum),
                "maximum": _greatest(session, col.maximum, stmt.excluded.maximum),
                "breaches": col.breaches + stmt.excluded.breaches,
            },
        )
        rows = [
            {
                "machine": m,
                "sensor": s,
                "hour_ts": h,
                "count": b.count,
                "total": b.total,
                "minimum": b.minimum,
                "maximum": b.maximum,
                "breaches": b.breaches,
            }
            for (m, s, h), b in pending.sensors.items()
        ]
        session.execute(stmt, rows)
    if pending.counters:
        stmt = _insert(session, CounterLastRow)
        stmt = stmt.on_conflict_do_update(
            index_elements=["machine", "counter"],
            set_={"ts": stmt.excluded.ts, "value": stmt.excluded.value},
        )
        rows = [
            {"machine": m, "counter": c, "ts": t, "value": v}
            for (m, c), (t, v) in pending.counters.items()
        ]
        session.execute(stmt, rows)


def _least(session: Session, left: Any, right: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.least(left, right)
    return func.min(left, right)


def _greatest(session: Session, left: Any, right: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.greatest(left, right)
    return func.max(left, right)


def load_counters(session: Session) -> dict[tuple[str, str], tuple[float, int]]:
    """The last raw counter values of every machine."""
    return {
        (row.machine, row.counter): (row.ts, row.value)
        for row in session.scalars(select(CounterLastRow))
    }


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


@dataclass(frozen=True, slots=True)
class MachineData:
    """What the OEE engine needs for one machine over a window."""

    states: tuple[StateInterval, ...]
    parts: tuple[CountDelta, ...]
    rejects: tuple[CountDelta, ...]


def load_machine_data(
    session: Session, machines: Sequence[str], start: float, end: float, bucket: int = 60
) -> dict[str, MachineData]:
    """State intervals overlapping ``[start, end)`` and count buckets inside it, per machine.

    ``bucket`` (a multiple of 60 s) coarsens the counts for long windows: 900 s keeps every
    local day and hour boundary of every time zone exact while reading 15x fewer rows.
    """
    states: dict[str, list[StateInterval]] = {m: [] for m in machines}
    parts: dict[str, list[CountDelta]] = {m: [] for m in machines}
    rejects: dict[str, list[CountDelta]] = {m: [] for m in machines}
    query = (
        select(
            StateIntervalRow.machine,
            StateIntervalRow.start_ts,
            StateIntervalRow.end_ts,
            StateIntervalRow.code,
        )
        .where(StateIntervalRow.machine.in_(machines))
        .where(StateIntervalRow.end_ts >= start, StateIntervalRow.start_ts < end)
        .order_by(StateIntervalRow.start_ts)
    )
    for machine, s, e, code in session.execute(query):
        states[machine].append(StateInterval(_dt(s), _dt(max(s, e)), code))
    col = CountMinuteRow
    slot = col.minute_ts if bucket <= 60 else cast(col.minute_ts / bucket, Integer) * bucket
    counts = (
        select(col.machine, slot, func.sum(col.parts), func.sum(col.rejects))
        .where(col.machine.in_(machines))
        .where(col.minute_ts >= start, col.minute_ts < end)
        .group_by(col.machine, slot)
        .order_by(slot)
    )
    for machine, ts, p, r in session.execute(counts):
        ts = float(ts)
        if p:
            parts[machine].append(CountDelta(_dt(ts), p))
        if r:
            rejects[machine].append(CountDelta(_dt(ts), r))
    return {m: MachineData(tuple(states[m]), tuple(parts[m]), tuple(rejects[m])) for m in machines}


@dataclass(frozen=True, slots=True)
class SensorSummary:
    """Aggregates of one sensor of one machine over a window."""

    machine: str
    sensor: str
    count: int
    mean: float | None
    minimum: float | None
    maximum: float | None
    breaches: int


def load_sensor_summaries(
    session: Session, machines: Sequence[str], start: float, end: float
) -> list[SensorSummary]:
    """Per machine and sensor: readings, mean, min, max and breaches over ``[start, end)``."""
    col = SensorHourRow
    query = (
        select(
            col.machine,
            col.sensor,
            func.sum(col.count),
            func.sum(col.total),
            func.min(col.minimum),
            func.max(col.maximum),
            func.sum(col.breaches),
        )
        .where(col.machine.in_(machines), col.hour_ts >= start, col.hour_ts < end)
        .group_by(col.machine, col.sensor)
        .order_by(col.machine, col.sensor)
    )
    result = []
    for machine, sensor, count, total, low, high, breaches in session.execute(query):
        count = int(count or 0)
        result.append(
            SensorSummary(
                machine,
                sensor,
                count,
                (total / count) if count else None,
                low,
                high,
                int(breaches or 0),
            )
        )
    return result


def load_hourly_counts(
    session: Session, machines: Sequence[str], start: float, end: float
) -> Mapping[str, list[float]]:
    """Hour starts with at least one reading, per machine (for uptime and completeness)."""
    col = SensorHourRow
    query = select(col.machine, col.hour_ts).where(
        col.machine.in_(machines),
        col.sensor == READINGS_SENSOR,
        col.hour_ts >= start,
        col.hour_ts < end,
    )
    hours: dict[str, list[float]] = {m: [] for m in machines}
    for machine, hour in session.execute(query):
        hours[machine].append(hour)
    return hours
