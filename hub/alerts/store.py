"""SQL persistence of alerts: live rule state, occurrences and the audit trail.

``alert_state`` keeps, per alert id, the JSON of its model state, evaluator, repeat schedule
and chatter history, so a restart resumes delays, timers, acknowledgements and shelves.
``alert_occurrences`` keeps every occurrence (the KPIs read it) and ``alert_audit`` every
transition. Writes are queued in order on the database thread; :meth:`AlertStore.flush`
waits for them.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Float, Index, Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hub.alerts.occurrence import AuditEntry, Occurrence
from hub.core.tasks import TaskTracker
from hub.database.base import Base
from hub.database.database import Database

_LOGGER = logging.getLogger(__name__)


class AlertStateRow(Base):
    """The restorable state of one alert."""

    __tablename__ = "alert_state"

    alert_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    updated_ts: Mapped[float] = mapped_column(Float)


class OccurrenceRow(Base):
    """One occurrence of an alert (its audit trail lives in ``alert_audit``)."""

    __tablename__ = "alert_occurrences"
    __table_args__ = (Index("ix_alert_occurrences_alert_start", "alert_id", "start_ts"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    alert_id: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(255))
    severity: Mapped[str] = mapped_column(String(16))
    start_ts: Mapped[float] = mapped_column(Float, index=True)
    end_ts: Mapped[float] = mapped_column(Float)
    closed_ts: Mapped[float | None] = mapped_column(Float, nullable=True, index=True)
    data: Mapped[str] = mapped_column(Text)


class AuditRow(Base):
    """One recorded transition: who did what, when and why."""

    __tablename__ = "alert_audit"
    __table_args__ = (Index("ix_alert_audit_alert_ts", "alert_id", "ts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(String(255))
    occurrence_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    ts: Mapped[float] = mapped_column(Float)
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(255), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    from_label: Mapped[str] = mapped_column(String(1))
    to_label: Mapped[str] = mapped_column(String(1))
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)


TABLE_NAMES = (AlertStateRow.__tablename__, OccurrenceRow.__tablename__, AuditRow.__tablename__)


@dataclass(frozen=True, slots=True)
class Change:
    """Everything one transition writes: the alert's new state, touched occurrences, audit."""

    alert_id: str
    state: Mapping[str, Any]
    ts: float
    occurrences: tuple[Occurrence, ...] = ()
    audit: AuditEntry | None = None


@dataclass(frozen=True, slots=True)
class Restored:
    """What the database knew at start-up."""

    states: dict[str, dict[str, Any]]
    open_occurrences: list[Occurrence]


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


def _occurrence_json(occurrence: Occurrence) -> str:
    data = occurrence.to_dict()
    data.pop("audit", None)
    return _dumps(data)


def _load_occurrence(row: OccurrenceRow) -> Occurrence:
    return Occurrence.from_dict(json.loads(row.data))


def _audit_from_row(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        row.ts,
        row.action,
        row.actor,
        row.reason,
        row.from_label,
        row.to_label,
        row.occurrence_id,
        row.detail,
    )


def _write(session: Session, changes: Sequence[Change]) -> None:
    states: dict[str, Change] = {}
    occurrences: dict[str, Occurrence] = {}
    for change in changes:
        states[change.alert_id] = change
        for occurrence in change.occurrences:
            occurrences[occurrence.id] = occurrence
        if change.audit is not None:
            entry = change.audit
            session.add(
                AuditRow(
                    alert_id=change.alert_id,
                    occurrence_id=entry.occurrence_id,
                    ts=entry.ts,
                    action=entry.action,
                    actor=entry.actor,
                    reason=entry.reason,
                    from_label=entry.from_label,
                    to_label=entry.to_label,
                    detail=entry.detail,
                )
            )
    for alert_id, change in states.items():
        row = AlertStateRow(alert_id=alert_id, data=_dumps(change.state), updated_ts=change.ts)
        session.merge(row)
    for occ in occurrences.values():
        session.merge(
            OccurrenceRow(
                id=occ.id,
                alert_id=occ.alert_id,
                source=occ.source,
                severity=occ.severity.value,
                start_ts=occ.start_ts,
                end_ts=occ.end_ts,
                closed_ts=occ.closed_ts,
                data=_occurrence_json(occ),
            )
        )


class AlertStore:
    """Reads and writes the alert tables through the hub's database thread."""

    def __init__(self, db: Database, tasks: TaskTracker) -> None:
        self._db = db
        self._tasks = tasks
        self._pending: list[Change] = []
        self._writer: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    async def create_tables(self) -> None:
        """Create the alert tables if they are missing."""
        tables = [Base.metadata.tables[name] for name in TABLE_NAMES]
        await self._db.run(lambda s: Base.metadata.create_all(s.connection(), tables=tables))

    async def restore(self, alert_ids: Iterable[str]) -> Restored:
        """Load the saved state of ``alert_ids`` and every open occurrence."""
        wanted = list(alert_ids)

        def job(session: Session) -> Restored:
            rows = session.scalars(select(AlertStateRow).where(AlertStateRow.alert_id.in_(wanted)))
            states = {row.alert_id: json.loads(row.data) for row in rows}
            open_rows = session.scalars(
                select(OccurrenceRow).where(
                    OccurrenceRow.closed_ts.is_(None), OccurrenceRow.alert_id.in_(wanted)
                )
            )
            return Restored(states, [_load_occurrence(row) for row in open_rows])

        return await self._db.run(job)

    async def forget(self, keep: Iterable[str]) -> None:
        """Drop the saved state of alerts no longer configured (their history stays)."""
        kept = list(keep)
        await self._db.run(
            lambda s: s.execute(delete(AlertStateRow).where(AlertStateRow.alert_id.not_in(kept)))
        )

    def submit(self, change: Change) -> None:
        """Queue ``change``; changes are written in order, batched while the writer is busy."""
        self._pending.append(change)
        if self._writer is None:
            self._idle.clear()
            self._writer = self._tasks.create(self._drain(), name="alerts:store")

    async def flush(self) -> None:
        """Wait until every submitted change is committed."""
        await self._idle.wait()

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    await self._db.run(partial(_write, changes=batch))
                except Exception:
                    _LOGGER.exception("Could not save %d alert changes", len(batch))
        finally:
            self._writer = None
            self._idle.set()

    async def occurrences(
        self,
        *,
        alert_id: str | None = None,
        start: float | None = None,
        end: float | None = None,
        limit: int | None = None,
    ) -> list[Occurrence]:
        """Stored occurrences, newest first, optionally of one alert and started in a range."""

        def job(session: Session) -> list[Occurrence]:
            query = select(OccurrenceRow).order_by(OccurrenceRow.start_ts.desc())
            if alert_id is not None:
                query = query.where(OccurrenceRow.alert_id == alert_id)
            if start is not None:
                query = query.where(OccurrenceRow.start_ts >= start)
            if end is not None:
                query = query.where(OccurrenceRow.start_ts < end)
            if limit is not None:
                query = query.limit(limit)
            return [_load_occurrence(row) for row in session.scalars(query)]

        return await self._db.run(job)

    async def audit(self, alert_id: str, limit: int | None = None) -> list[AuditEntry]:
        """The audit trail of ``alert_id``, newest first."""

        def job(session: Session) -> list[AuditEntry]:
            query = (
                select(AuditRow)
                .where(AuditRow.alert_id == alert_id)
                .order_by(AuditRow.ts.desc(), AuditRow.id.desc())
            )
            if limit is not None:
                query = query.limit(limit)
            return [_audit_from_row(row) for row in session.scalars(query)]

        return await self._db.run(job)
