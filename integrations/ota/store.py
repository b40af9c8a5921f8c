"""SQL tables of the OTA integration and the one class that reads and writes them."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from sqlalchemy import Float, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hub.api import Base, Hub

from .models import Image, Policy, Record, RecordState, Rollout, RolloutStatus


class OtaImageRow(Base):
    """A firmware image in the repository (the bytes live in ``<config>/ota/``)."""

    __tablename__ = "ota_images"
    __table_args__ = (UniqueConstraint("model", "version"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    model: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    signature: Mapped[str] = mapped_column(String(100))
    format: Mapped[str] = mapped_column(String(16))
    project_name: Mapped[str | None] = mapped_column(String(32), nullable=True)
    idf_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    release_notes: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[float] = mapped_column(Float)


class OtaRolloutRow(Base):
    """A rollout: its image, policy, groups and status."""

    __tablename__ = "ota_rollouts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    image_id: Mapped[str] = mapped_column(String(32), index=True)
    policy: Mapped[str] = mapped_column(Text)
    groups: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    current_group: Mapped[int] = mapped_column(Integer)
    tripped_groups: Mapped[str] = mapped_column(Text, default="[]")
    status_reason: Mapped[str | None] = mapped_column(String(255), nullable=True)
    soak_until: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class OtaRecordRow(Base):
    """One device's update within a rollout."""

    __tablename__ = "ota_records"
    __table_args__ = (UniqueConstraint("rollout_id", "device_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    rollout_id: Mapped[str] = mapped_column(String(32), index=True)
    device_id: Mapped[str] = mapped_column(String(64), index=True)
    group: Mapped[int] = mapped_column(Integer)
    from_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    target_version: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(20))
    progress: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer)
    error_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error_text: Mapped[str | None] = mapped_column(String(255), nullable=True)
    started_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    finished_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    updated_at: Mapped[float] = mapped_column(Float)


class OtaAuditRow(Base):
    """Who did what to which image or rollout."""

    __tablename__ = "ota_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(Float, index=True)
    user: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")


TABLES = [
    Base.metadata.tables[row.__tablename__]
    for row in (OtaImageRow, OtaRolloutRow, OtaRecordRow, OtaAuditRow)
]


def _image(row: OtaImageRow) -> Image:
    return Image(
        id=row.id,
        model=row.model,
        version=row.version,
        sha256=row.sha256,
        size=row.size,
        signature=row.signature,
        format=row.format,
        project_name=row.project_name,
        idf_version=row.idf_version,
        release_notes=row.release_notes,
        filename=row.filename,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
    )


def _rollout(row: OtaRolloutRow) -> Rollout:
    return Rollout(
        id=row.id,
        name=row.name,
        image_id=row.image_id,
        policy=Policy(**json.loads(row.policy)),
        groups=json.loads(row.groups),
        status=RolloutStatus(row.status),
        current_group=row.current_group,
        tripped_groups=json.loads(row.tripped_groups),
        status_reason=row.status_reason,
        soak_until=row.soak_until,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _rollout_values(rollout: Rollout) -> dict[str, Any]:
    return {
        "id": rollout.id,
        "name": rollout.name,
        "image_id": rollout.image_id,
        "policy": json.dumps(asdict(rollout.policy)),
        "groups": json.dumps(rollout.groups),
        "status": str(rollout.status),
        "current_group": rollout.current_group,
        "tripped_groups": json.dumps(rollout.tripped_groups),
        "status_reason": rollout.status_reason,
        "soak_until": rollout.soak_until,
        "created_by": rollout.created_by,
        "created_at": rollout.created_at,
        "updated_at": rollout.updated_at,
    }


def _record(row: OtaRecordRow) -> Record:
    values = {k: getattr(row, k) for k in Record.__dataclass_fields__}
    values["state"] = RecordState(row.state)
    return Record(**values)


def _record_values(record: Record) -> dict[str, Any]:
    values = asdict(record)
    values["state"] = str(record.state)
    return values


class OtaStore:
    """Reads and writes OTA rows on the hub's database thread."""

    def __init__(self, hub: Hub) -> None:
        self._db = hub.db

    async def create_tables(self) -> None:
        """Create the OTA tables when the database lacks them."""
        await self._db.run(lambda s: Base.metadata.create_all(s.get_bind(), tables=TABLES))

    async def load(self) -> tuple[list[Image], list[Rollout], list[Record]]:
        """Every image, rollout and record."""

        def read(session: Session) -> tuple[list[Image], list[Rollout], list[Record]]:
            images = [_image(r) for r in session.scalars(select(OtaImageRow))]
            rollouts = [_rollout(r) for r in session.scalars(select(OtaRolloutRow))]
            records = [_record(r) for r in session.scalars(select(OtaRecordRow))]
            return images, rollouts, records

        return await self._db.run(read)

    async def add_image(self, image: Image) -> None:
        """Insert an image row."""
        values = asdict(image)
        await self._db.run(lambda s: s.add(OtaImageRow(**values)))

    async def delete_image(self, image_id: str) -> None:
        """Delete an image row."""
        statement = delete(OtaImageRow).where(OtaImageRow.id == image_id)
        await self._db.run(lambda s: s.execute(statement))

    async def save(self, rollout: Rollout | None, records: list[Record]) -> None:
        """Insert or update a rollout and records in one transaction."""
        rollout_values = None if rollout is None else _rollout_values(rollout)
        record_values = [_record_values(r) for r in records]

        def write(session: Session) -> None:
            if rollout_values is not None:
                session.merge(OtaRolloutRow(**rollout_values))
            for values in record_values:
                session.merge(OtaRecordRow(**values))

        await self._db.run(write)

    async def audit(self, at: float, user: str, action: str, target: str, detail: Any) -> None:
        """Append an audit entry."""
        row = OtaAuditRow(at=at, user=user, action=action, target=target, detail=json.dumps(detail))
        await self._db.run(lambda s: s.add(row))

    async def audit_log(self, limit: int) -> list[dict[str, Any]]:
        """The newest audit entries first."""

        def read(session: Session) -> list[dict[str, Any]]:
            rows = session.scalars(select(OtaAuditRow).order_by(OtaAuditRow.id.desc()).limit(limit))
            return [
                {
                    "at": r.at,
                    "user": r.user,
                    "action": r.action,
                    "target": r.target,
                    "detail": json.loads(r.detail),
                }
                for r in rows
            ]

        return await self._db.run(read)
