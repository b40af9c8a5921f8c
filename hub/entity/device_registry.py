"""The device registry: devices, their hardware identifiers and credentials, in SQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from hub.core.bus import EventBus
from hub.core.context import Context
from hub.core.errors import DeviceAlreadyRegistered, HubError
from hub.core.events import EVENT_DEVICE_REGISTERED, EVENT_DEVICE_REMOVED, EVENT_DEVICE_UPDATED
from hub.database.database import Database
from hub.entity.tables import DeviceCredentialRow, DeviceIdentifierRow, DeviceRow, utcnow

Identifier = tuple[str, str]


@dataclass(frozen=True, slots=True)
class DeviceEntry:
    """A registered device. ``identifiers`` are ``(kind, value)`` pairs, e.g. ``("mac", …)``."""

    id: str
    integration: str
    name: str
    identifiers: frozenset[Identifier]
    manufacturer: str | None = None
    model: str | None = None
    sw_version: str | None = None
    hw_version: str | None = None
    area: str | None = None
    via_device_id: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    created_at: dt.datetime = field(default_factory=utcnow)

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        return {
            "id": self.id,
            "integration": self.integration,
            "name": self.name,
            "identifiers": sorted([list(i) for i in self.identifiers]),
            "manufacturer": self.manufacturer,
            "model": self.model,
            "sw_version": self.sw_version,
            "hw_version": self.hw_version,
            "area": self.area,
            "via_device_id": self.via_device_id,
            "data": dict(self.data),
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class IssuedCredential:
    """A credential just created: the plaintext is shown once and never stored."""

    device_id: str
    key_id: str
    secret: str

    @property
    def token(self) -> str:
        """``<key_id>.<secret>``: what a device presents as a bearer token."""
        return f"{self.key_id}.{self.secret}"


def _hash_secret(secret: str) -> str:
    # Secrets are 256-bit random values, so a fast hash resists guessing as well as a slow one.
    return hashlib.sha256(secret.encode()).hexdigest()


def _entry_from_row(row: DeviceRow) -> DeviceEntry:
    return DeviceEntry(
        id=row.id,
        integration=row.integration,
        name=row.name,
        identifiers=frozenset((i.kind, i.value) for i in row.identifiers),
        manufacturer=row.manufacturer,
        model=row.model,
        sw_version=row.sw_version,
        hw_version=row.hw_version,
        area=row.area,
        via_device_id=row.via_device_id,
        data=dict(row.data or {}),
        created_at=row.created_at.replace(tzinfo=dt.UTC)
        if row.created_at.tzinfo is None
        else row.created_at,
    )


class DeviceRegistry:
    """Devices in memory, hydrated from and written through to the database."""

    def __init__(self, db: Database, bus: EventBus) -> None:
        self._db = db
        self._bus = bus
        self._devices: dict[str, DeviceEntry] = {}
        self._by_identifier: dict[Identifier, str] = {}
        self._credentials: dict[str, tuple[str, str, str]] = {}  # key_id → (device, kind, hash)

    # -- reading ---------------------------------------------------------------------------
    def get(self, device_id: str) -> DeviceEntry | None:
        """The device with ``device_id``."""
        return self._devices.get(device_id)

    def get_by_identifier(self, kind: str, value: str) -> DeviceEntry | None:
        """The device that owns the identifier, if any."""
        device_id = self._by_identifier.get((kind, value))
        return None if device_id is None else self._devices.get(device_id)

    def devices(self, integration: str | None = None) -> list[DeviceEntry]:
        """All devices, optionally of one integration."""
        return [
            d for d in self._devices.values() if integration is None or d.integration == integration
        ]

    def __len__(self) -> int:
        return len(self._devices)

    # -- boot --------------------------------------------------------------------------------
    async def hydrate(self) -> None:
        """Load every device and credential from the database; purge what it lacks."""

        def load(session: Session) -> tuple[list[DeviceEntry], list[DeviceCredentialRow]]:
            rows = session.scalars(
                select(DeviceRow).options(selectinload(DeviceRow.identifiers))
            ).all()
            creds = session.scalars(
                select(DeviceCredentialRow).where(DeviceCredentialRow.revoked_at.is_(None))
            ).all()
            return [_entry_from_row(r) for r in rows], list(creds)

        entries, creds = await self._db.run(load)
        self._devices = {e.id: e for e in entries}
        self._by_identifier = {i: e.id for e in entries for i in e.identifiers}
        self._credentials = {c.key_id: (c.device_id, c.kind, c.secret_hash) for c in creds}

    # -- writing -----------------------------------------------------------------------------
    async def register(
        self,
        integration: str,
        name: str,
        identifiers: Iterable[Identifier],
        *,
        context: Context | None = None,
        **details: Any,
    ) -> DeviceEntry:
        """Create a device. A hardware identifier that is already registered is refused."""
        idents = frozenset((str(k), str(v)) for k, v in identifiers)
        for ident in idents:
            owner = self._by_identifier.get(ident)
            if owner is not None:
                raise DeviceAlreadyRegistered(
                    f"{ident[0]} {ident[1]} is already registered to device {owner}"
                )
        entry = DeviceEntry(
            id=str(uuid.uuid4()), integration=integration, name=name, identifiers=idents, **details
        )

        def insert(session: Session) -> None:
            row = DeviceRow(
                id=entry.id,
                integration=integration,
                name=name,
                manufacturer=entry.manufacturer,
                model=entry.model,
                sw_version=entry.sw_version,
                hw_version=entry.hw_version,
                area=entry.area,
                via_device_id=entry.via_device_id,
                data=dict(entry.data),
                created_at=entry.created_at,
            )
            row.identifiers = [DeviceIdentifierRow(kind=k, value=v) for k, v in idents]
            session.add(row)

        try:
            await self._db.run(insert)
        except IntegrityError as err:
            raise DeviceAlreadyRegistered(
                f"a device with identifiers {sorted(idents)} is already registered"
            ) from err
        self._devices[entry.id] = entry
        for ident in idents:
            self._by_identifier[ident] = entry.id
        self._bus.fire(EVENT_DEVICE_REGISTERED, {"device_id": entry.id, "device": entry}, context)
        return entry

    async def get_or_register(
        self, integration: str, name: str, identifiers: Iterable[Identifier], **details: Any
    ) -> DeviceEntry:
        """The device owning any of ``identifiers``, updated with ``details``, or a new one."""
        idents = list(identifiers)
        for ident in idents:
            existing = self.get_by_identifier(*ident)
            if existing is not None:
                changes = {k: v for k, v in details.items() if getattr(existing, k) != v}
                if changes:
                    return await self.update(existing.id, **changes)
                return existing
        return await self.register(integration, name, idents, **details)

    async def update(self, device_id: str, **changes: Any) -> DeviceEntry:
        """Change a device's name, versions, area or data."""
        entry = self._devices.get(device_id)
        if entry is None:
            raise HubError(f"device {device_id} not found")
        allowed = {"name", "manufacturer", "model", "sw_version", "hw_version", "area", "data"}
        unknown = set(changes) - allowed
        if unknown:
            raise HubError(f"cannot change {', '.join(sorted(unknown))} of a device")
        new = replace(entry, **changes)

        def write(session: Session) -> None:
            row = session.get(DeviceRow, device_id)
            if row is None:
                raise HubError(f"device {device_id} not found")
            for key, value in changes.items():
                setattr(row, key, dict(value) if key == "data" else value)
            row.modified_at = utcnow()

        await self._db.run(write)
        self._devices[device_id] = new
        self._bus.fire(EVENT_DEVICE_UPDATED, {"device_id": device_id, "changes": list(changes)})
        return new

    async def remove(self, device_id: str, *, context: Context | None = None) -> DeviceEntry:
        """Remove a device in one operation: rows, memory, credentials, then ``device_removed``."""
        entry = self._devices.get(device_id)
        if entry is None:
            raise HubError(f"device {device_id} not found")

        def delete_rows(session: Session) -> None:
            session.execute(delete(DeviceRow).where(DeviceRow.id == device_id))

        await self._db.run(delete_rows)
        self._purge(device_id)
        self._bus.fire(EVENT_DEVICE_REMOVED, {"device_id": device_id, "device": entry}, context)
        return entry

    def _purge(self, device_id: str) -> None:
        entry = self._devices.pop(device_id, None)
        if entry is not None:
            for ident in entry.identifiers:
                self._by_identifier.pop(ident, None)
        for key_id in [k for k, v in self._credentials.items() if v[0] == device_id]:
            del self._credentials[key_id]

    # -- credentials -----------------------------------------------------------------------
    async def issue_credential(
        self, device_id: str, kind: str, *, label: str | None = None
    ) -> IssuedCredential:
        """Create a secret for a device; only its hash is stored."""
        if device_id not in self._devices:
            raise HubError(f"device {device_id} not found")
        key_id = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        hashed = _hash_secret(secret)

        def insert(session: Session) -> None:
            session.add(
                DeviceCredentialRow(
                    device_id=device_id, kind=kind, key_id=key_id, secret_hash=hashed, label=label
                )
            )

        await self._db.run(insert)
        self._credentials[key_id] = (device_id, kind, hashed)
        return IssuedCredential(device_id, key_id, secret)

    async def revoke_credential(self, key_id: str) -> bool:
        """Revoke a credential at once; return False if it was unknown."""

        def revoke(session: Session) -> bool:
            row = session.scalars(
                select(DeviceCredentialRow).where(DeviceCredentialRow.key_id == key_id)
            ).first()
            if row is None or row.revoked_at is not None:
                return False
            row.revoked_at = utcnow()
            return True

        self._credentials.pop(key_id, None)
        return await self._db.run(revoke)

    async def revoke_credentials(self, device_id: str, kind: str) -> int:
        """Revoke every credential of ``kind`` a device holds; return how many."""
        keys = [k for k, v in self._credentials.items() if v[0] == device_id and v[1] == kind]
        for key_id in keys:
            await self.revoke_credential(key_id)
        return len(keys)

    def verify_credential(self, key_id: str, secret: str, kind: str) -> DeviceEntry | None:
        """The device a presented credential belongs to, or None (constant-time compare)."""
        stored = self._credentials.get(key_id)
        if stored is None or stored[1] != kind:
            return None
        if not hmac.compare_digest(stored[2], _hash_secret(secret)):
            return None
        return self._devices.get(stored[0])

    def verify_token(self, token: str, kind: str) -> DeviceEntry | None:
        """Verify a ``<key_id>.<secret>`` bearer token."""
        key_id, sep, secret = token.partition(".")
        if not sep:
            return None
        return self.verify_credential(key_id, secret, kind)
