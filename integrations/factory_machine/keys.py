"""Per-machine ingest API keys: one device per machine, keys shown once and stored hashed.

The secret lives in the core device registry (``issue_credential(device_id,
"factory_ingest")``, SHA-256 only); this module adds the visible ``fh_dev_`` prefix and a
metadata row per key (machine, created, last used, revoked) for listing and auditing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hub.api import Base, DeviceEntry, Hub

from .const import CREDENTIAL_KIND, DOMAIN, IDENTIFIER_KIND, TOKEN_PREFIX


class ApiKeyRow(Base):
    """Metadata of one ingest key (never the secret)."""

    __tablename__ = "factory_api_key"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    machine: Mapped[str] = mapped_column(String(200), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_ts: Mapped[float] = mapped_column(Float)
    last_used_ts: Mapped[float | None] = mapped_column(Float, nullable=True)
    revoked_ts: Mapped[float | None] = mapped_column(Float, nullable=True)


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """A key's public description."""

    key_id: str
    machine: str
    label: str | None
    created_ts: float
    last_used_ts: float | None
    revoked_ts: float | None

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        return {
            "key_id": self.key_id,
            "machine": self.machine,
            "label": self.label,
            "created_ts": self.created_ts,
            "last_used_ts": self.last_used_ts,
            "revoked_ts": self.revoked_ts,
        }


@dataclass(frozen=True, slots=True)
class CreatedKey:
    """A new key: its description and the token, shown this once."""

    info: KeyInfo
    token: str


def _info(row: ApiKeyRow) -> KeyInfo:
    return KeyInfo(
        row.key_id, row.machine, row.label, row.created_ts, row.last_used_ts, row.revoked_ts
    )


async def machine_device(hub: Hub, machine_id: str, name: str | None = None) -> DeviceEntry:
    """The device of a machine, registered on first use."""
    existing = hub.device_registry.get_by_identifier(IDENTIFIER_KIND, machine_id)
    if existing is not None:
        return existing
    return await hub.device_registry.register(
        DOMAIN, name or machine_id, [(IDENTIFIER_KIND, machine_id)], model="factory machine"
    )


class KeyManager:
    """Create, verify, list and revoke machine ingest keys."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._last_used: dict[str, float] = {}

    async def ensure_table(self) -> None:
        """Create the metadata table if missing (for the command line)."""
        await self._hub.db.run(
            lambda session: Base.metadata.create_all(
                session.get_bind(), tables=[Base.metadata.tables[ApiKeyRow.__tablename__]]
            )
        )

    async def create(self, machine_id: str, label: str | None = None) -> CreatedKey:
        """Issue a key for ``machine_id`` (its device is registered if needed)."""
        device = await machine_device(self._hub, machine_id)
        issued = await self._hub.device_registry.issue_credential(
            device.id, CREDENTIAL_KIND, label=label
        )
        row = ApiKeyRow(
            key_id=issued.key_id,
            machine=machine_id,
            device_id=device.id,
            label=label,
            created_ts=time.time(),
        )
        info = _info(row)

        def insert(session: Session) -> None:
            session.add(row)

        await self._hub.db.run(insert)
        return CreatedKey(info, TOKEN_PREFIX + issued.token)

    def verify(self, token: str) -> tuple[str, str] | None:
        """``(machine id, key id)`` of a valid, unrevoked token, else None (no I/O)."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        raw = token[len(TOKEN_PREFIX) :]
        device = self._hub.device_registry.verify_token(raw, CREDENTIAL_KIND)
        if device is None:
            return None
        machine = next((v for k, v in device.identifiers if k == IDENTIFIER_KIND), None)
        if machine is None:
            return None
        key_id = raw.partition(".")[0]
        self._last_used[key_id] = time.time()
        return machine, key_id

    async def revoke(self, key_id: str) -> KeyInfo | None:
        """Revoke a key at once; None if it is unknown."""
        await self._hub.device_registry.revoke_credential(key_id)
        now = time.time()

        def revoke(session: Session) -> KeyInfo | None:
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                return None
            if row.revoked_ts is None:
                row.revoked_ts = now
            return _info(row)

        return await self._hub.db.run(revoke)

    async def get(self, key_id: str) -> KeyInfo | None:
        """One key's description."""

        def load(session: Session) -> KeyInfo | None:
            row = session.get(ApiKeyRow, key_id)
            return None if row is None else _info(row)

        await self.flush_last_used()
        return await self._hub.db.run(load)

    async def list(self, machines: list[str] | None = None) -> list[KeyInfo]:
        """Keys, newest first, optionally of some machines only."""

        def load(session: Session) -> list[KeyInfo]:
            query = select(ApiKeyRow).order_by(ApiKeyRow.created_ts.desc())
            if machines is not None:
                query = query.where(ApiKeyRow.machine.in_(machines))
            return [_info(row) for row in session.scalars(query)]

        await self.flush_last_used()
        return await self._hub.db.run(load)

    async def flush_last_used(self) -> None:
        """Write the last-used times gathered since the previous flush."""
        used, self._last_used = self._last_used, {}
        if not used:
            return

        def write(session: Session) -> None:
            for key_id, ts in used.items():
                row = session.get(ApiKeyRow, key_id)
                if row is not None:
                    row.last_used_ts = ts

        await self._hub.db.run(write)
