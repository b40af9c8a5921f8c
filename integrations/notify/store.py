"""The delivery log: one row per delivery, one per attempt, in the hub's database."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from hub.api import Base, Hub

STATUS_QUEUED = "queued"
STATUS_RETRYING = "retrying"
STATUS_DELIVERED = "delivered"
STATUS_FAILED = "failed"
STATUS_DEDUPLICATED = "deduplicated"
STATUS_SKIPPED = "skipped"
PENDING_STATUSES = (STATUS_QUEUED, STATUS_RETRYING)
STATUSES = (
    STATUS_QUEUED,
    STATUS_RETRYING,
    STATUS_DELIVERED,
    STATUS_FAILED,
    STATUS_DEDUPLICATED,
    STATUS_SKIPPED,
)


class NotifyDeliveryRow(Base):
    """A message for one target and where its delivery stands."""

    __tablename__ = "notify_deliveries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    target: Mapped[str] = mapped_column(String(64), index=True)
    platform: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str | None] = mapped_column(String(255), nullable=True)
    message: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text, default="{}")
    dedup_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    last_status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[list[NotifyAttemptRow]] = relationship(
        back_populates="delivery",
        cascade="all, delete-orphan",
        order_by="NotifyAttemptRow.number",
    )


class NotifyAttemptRow(Base):
    """One try at sending a delivery."""

    __tablename__ = "notify_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(
        ForeignKey("notify_deliveries.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latency_ms: Mapped[float] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    delivery: Mapped[NotifyDeliveryRow] = relationship(back_populates="attempts")


@dataclass(slots=True)
class Delivery:
    """A delivery as held in memory while it is pending."""

    id: str
    target: str
    platform: str
    title: str | None
    message: str
    data: Mapping[str, Any]
    dedup_key: str
    created_at: dt.datetime
    status: str = STATUS_QUEUED
    attempt_count: int = 0
    next_attempt_at: float | None = None
    last_status_code: int | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """What one attempt did."""

    number: int
    started_at: dt.datetime
    status_code: int | None
    latency_ms: float
    outcome: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryQuery:
    """Filters for :meth:`DeliveryLog.query`."""

    target: str | None = None
    status: str | None = None
    limit: int = 100


def _iso(value: dt.datetime) -> str:
    # SQLite hands aware datetimes back naive; every stored time is UTC.
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def _row_dict(row: NotifyDeliveryRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "target": row.target,
        "platform": row.platform,
        "status": row.status,
        "title": row.title,
        "message": row.message,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
        "next_attempt_at": row.next_attempt_at,
        "attempt_count": row.attempt_count,
        "last_status_code": row.last_status_code,
        "last_error": row.last_error,
        "attempts": [
            {
                "number": a.number,
                "started_at": _iso(a.started_at),
                "status_code": a.status_code,
                "latency_ms": round(a.latency_ms, 1),
                "outcome": a.outcome,
                "error": a.error,
            }
            for a in row.attempts
        ],
    }


class DeliveryLog:
    """Writes and reads the delivery log through the hub's database thread."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub

    async def insert(self, delivery: Delivery) -> None:
        """Store a new delivery."""
        now = self._hub.clock.now()
        row = NotifyDeliveryRow(
            id=delivery.id,
            target=delivery.target,
            platform=delivery.platform,
            status=delivery.status,
            title=delivery.title[:255] if delivery.title else None,
            message=delivery.message,
            data=json.dumps(dict(delivery.data), default=str),
            dedup_key=delivery.dedup_key[:255],
            created_at=delivery.created_at,
            updated_at=now,
            next_attempt_at=delivery.next_attempt_at,
            attempt_count=delivery.attempt_count,
            last_error=delivery.last_error,
        )

        def write(session: Session) -> None:
            session.add(row)

        await self._hub.db.run(write)

    async def record(self, delivery: Delivery, attempt: AttemptRecord | None) -> None:
        """Store an attempt (if any) and the delivery's new status."""
        now = self._hub.clock.now()
        values = {
            "status": delivery.status,
            "updated_at": now,
            "next_attempt_at": delivery.next_attempt_at,
            "attempt_count": delivery.attempt_count,
            "last_status_code": delivery.last_status_code,
            "last_error": delivery.last_error,
        }

        def write(session: Session) -> None:
            session.execute(
                update(NotifyDeliveryRow)
                .where(NotifyDeliveryRow.id == delivery.id)
                .values(**values)
            )
            if attempt is not None:
                session.add(
                    NotifyAttemptRow(
                        delivery_id=delivery.id,
                        number=attempt.number,
                        started_at=attempt.started_at,
                        status_code=attempt.status_code,
                        latency_ms=attempt.latency_ms,
                        outcome=attempt.outcome,
                        error=attempt.error,
                    )
                )

        await self._hub.db.run(write)

    async def query(self, query: DeliveryQuery) -> list[dict[str, Any]]:
        """Deliveries, newest first, with their attempts."""

        def read(session: Session) -> list[dict[str, Any]]:
            stmt = select(NotifyDeliveryRow).order_by(
                NotifyDeliveryRow.created_at.desc(), NotifyDeliveryRow.id.desc()
            )
            if query.target:
                stmt = stmt.where(NotifyDeliveryRow.target == query.target)
            if query.status:
                stmt = stmt.where(NotifyDeliveryRow.status == query.status)
            rows = session.scalars(stmt.limit(query.limit)).all()
            return [_row_dict(row) for row in rows]

        return await self._hub.db.run(read)

    async def pending(self) -> list[Delivery]:
        """Deliveries still queued or retrying (to resume after a restart)."""

        def read(session: Session) -> list[Delivery]:
            stmt = select(NotifyDeliveryRow).where(NotifyDeliveryRow.status.in_(PENDING_STATUSES))
            return [
                Delivery(
                    id=r.id,
                    target=r.target,
                    platform=r.platform,
                    title=r.title,
                    message=r.message,
                    data=json.loads(r.data or "{}"),
                    dedup_key=r.dedup_key,
                    created_at=r.created_at,
                    status=r.status,
                    attempt_count=r.attempt_count,
                    next_attempt_at=r.next_attempt_at,
                    last_status_code=r.last_status_code,
                    last_error=r.last_error,
                )
                for r in session.scalars(stmt.order_by(NotifyDeliveryRow.created_at)).all()
            ]

        return await self._hub.db.run(read)

    async def purge(self, older_than: dt.datetime) -> int:
        """Delete finished deliveries created before ``older_than``; return how many."""

        def remove(session: Session) -> int:
            old = select(NotifyDeliveryRow.id).where(
                NotifyDeliveryRow.created_at < older_than,
                NotifyDeliveryRow.status.not_in(PENDING_STATUSES),
            )
            ids = list(session.scalars(old).all())
            if ids:
                session.execute(
                    delete(NotifyAttemptRow).where(NotifyAttemptRow.delivery_id.in_(ids))
                )
                session.execute(delete(NotifyDeliveryRow).where(NotifyDeliveryRow.id.in_(ids)))
            return len(ids)

        return await self._hub.db.run(remove)
