"""SQL tables of the device and entity registries (ARCHITECTURE.md section 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.database.base import Base


def utcnow() -> dt.datetime:
    """Aware UTC now."""
    return dt.datetime.now(dt.UTC)


class DeviceRow(Base):
    """A device: one piece of hardware (or a logical device) with a UUID id."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    integration: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(255))
    manufacturer: Mapped[str | None] = mapped_column(String(255))
    model: Mapped[str | None] = mapped_column(String(255))
    sw_version: Mapped[str | None] = mapped_column(String(64))
    hw_version: Mapped[str | None] = mapped_column(String(64))
    area: Mapped[str | None] = mapped_column(String(255))
    via_device_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    modified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    identifiers: Mapped[list[DeviceIdentifierRow]] = relationship(
        back_populates="device", cascade="all, delete-orphan", passive_deletes=True
    )


class DeviceIdentifierRow(Base):
    """A hardware identifier of a device (a MAC, a serial). Unique across all devices."""

    __tablename__ = "device_identifiers"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_device_identifiers_kind_value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(255))

    device: Mapped[DeviceRow] = relationship(back_populates="identifiers")


class DeviceCredentialRow(Base):
    """A hashed secret a device presents (pairing secret, ingest API key)."""

    __tablename__ = "device_credentials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(128))
    label: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class EntityRow(Base):
    """An entity registry entry: keeps entity ids stable across restarts."""

    __tablename__ = "entities"
    __table_args__ = (
        UniqueConstraint("integration", "unique_id", name="uq_entities_integration_unique_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[str] = mapped_column(String(255), unique=True)
    integration: Mapped[str] = mapped_column(String(64), index=True)
    platform: Mapped[str] = mapped_column(String(64))
    unique_id: Mapped[str] = mapped_column(String(255))
    device_id: Mapped[str | None] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(255))
    original_name: Mapped[str | None] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(default=False)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
