"""Persistent notices: messages that stay in the UI until someone dismisses them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hub.core.context import ulid
from hub.core.events import EVENT_NOTICE_CREATED, EVENT_NOTICE_DISMISSED
from hub.database.base import Base

if TYPE_CHECKING:
    from hub.core.bus import EventBus
    from hub.database.database import Database


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class NoticeRow(Base):
    """A stored notice."""

    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    message: Mapped[str] = mapped_column(String(8000))
    source: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)


@dataclass(frozen=True, slots=True)
class Notice:
    """A persistent notice."""

    id: str
    title: str
    message: str
    source: str
    created_at: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        return {
            "id": self.id,
            "title": self.title,
            "message": self.message,
            "source": self.source,
            "created_at": self.created_at.isoformat(),
        }


class Notices:
    """Create, list and dismiss persistent notices (stored in the database)."""

    def __init__(self, db: Database, bus: EventBus) -> None:
        self._db = db
        self._bus = bus
        self._notices: dict[str, Notice] = {}

    async def hydrate(self) -> None:
        """Load stored notices."""

        def load(session: Session) -> list[Notice]:
            return [
                Notice(r.id, r.title, r.message, r.source, r.created_at)
                for r in session.scalars(select(NoticeRow)).all()
            ]

        self._notices = {n.id: n for n in await self._db.run(load)}

    def all(self) -> list[Notice]:
        """Every notice, oldest first."""
        return sorted(self._notices.values(), key=lambda n: n.created_at)

    def get(self, notice_id: str) -> Notice | None:
        """One notice."""
        return self._notices.get(notice_id)

    async def create(
        self, title: str, message: str, *, source: str = "hub", notice_id: str | None = None
    ) -> Notice:
        """Create (or replace, with the same id) a notice."""
        notice = Notice(notice_id or ulid(), title, message, source, _utcnow())

        def write(session: Session) -> None:
            session.merge(
                NoticeRow(
                    id=notice.id,
                    title=title,
                    message=message,
                    source=source,
                    created_at=notice.created_at,
                )
            )

        await self._db.run(write)
        self._notices[notice.id] = notice
        self._bus.fire(EVENT_NOTICE_CREATED, {"notice": notice.as_dict()})
        return notice

    async def dismiss(self, notice_id: str) -> bool:
        """Delete a notice; False if it did not exist."""
        if notice_id not in self._notices:
            return False

        def remove(session: Session) -> None:
            session.execute(delete(NoticeRow).where(NoticeRow.id == notice_id))

        await self._db.run(remove)
        del self._notices[notice_id]
        self._bus.fire(EVENT_NOTICE_DISMISSED, {"notice_id": notice_id})
        return True
