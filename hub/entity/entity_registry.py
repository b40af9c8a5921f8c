"""The entity registry: stable entity ids keyed by (integration, unique_id), in SQL."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hub.core.bus import Event, EventBus
from hub.core.events import EVENT_DEVICE_REMOVED, EVENT_ENTITY_REGISTRY_UPDATED
from hub.database.database import Database
from hub.entity.naming import slugify
from hub.entity.tables import EntityRow


@dataclass(frozen=True, slots=True)
class EntityEntry:
    """A registry entry: the entity id an (integration, unique_id) pair owns."""

    entity_id: str
    integration: str
    platform: str
    unique_id: str
    device_id: str | None = None
    name: str | None = None
    original_name: str | None = None
    disabled: bool = False
    options: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        return {
            "entity_id": self.entity_id,
            "integration": self.integration,
            "platform": self.platform,
            "unique_id": self.unique_id,
            "device_id": self.device_id,
            "name": self.name,
            "original_name": self.original_name,
            "disabled": self.disabled,
        }


def _entry(row: EntityRow) -> EntityEntry:
    return EntityEntry(
        entity_id=row.entity_id,
        integration=row.integration,
        platform=row.platform,
        unique_id=row.unique_id,
        device_id=row.device_id,
        name=row.name,
        original_name=row.original_name,
        disabled=row.disabled,
        options=dict(row.options or {}),
    )


class EntityRegistry:
    """Entity registry entries in memory, hydrated from and written through to the database."""

    def __init__(self, db: Database, bus: EventBus) -> None:
        self._db = db
        self._bus = bus
        self._by_entity_id: dict[str, EntityEntry] = {}
        self._by_unique: dict[tuple[str, str], str] = {}
        bus.listen(EVENT_DEVICE_REMOVED, self._device_removed)

    def get(self, entity_id: str) -> EntityEntry | None:
        """The entry for ``entity_id``."""
        return self._by_entity_id.get(entity_id)

    def get_entity_id(self, integration: str, unique_id: str) -> str | None:
        """The entity id registered for ``(integration, unique_id)``."""
        return self._by_unique.get((integration, unique_id))

    def entries(self, integration: str | None = None) -> list[EntityEntry]:
        """All entries, optionally of one integration."""
        return [
            e
            for e in self._by_entity_id.values()
            if integration is None or e.integration == integration
        ]

    def for_device(self, device_id: str) -> list[EntityEntry]:
        """The entries attached to a device."""
        return [e for e in self._by_entity_id.values() if e.device_id == device_id]

    def __len__(self) -> int:
        return len(self._by_entity_id)

    async def hydrate(self) -> None:
        """Load every entry from the database; purge what it lacks."""

        def load(session: Session) -> list[EntityEntry]:
            return [_entry(r) for r in session.scalars(select(EntityRow)).all()]

        entries = await self._db.run(load)
        self._by_entity_id = {e.entity_id: e for e in entries}
        self._by_unique = {(e.integration, e.unique_id): e.entity_id for e in entries}

    def _free_entity_id(self, platform: str, object_id: str, taken: Callable[[str], bool]) -> str:
        base = f"{platform}.{slugify(object_id)}"
        candidate, n = base, 2
        while candidate in self._by_entity_id or taken(candidate):
            candidate = f"{base}_{n}"
            n += 1
        return candidate

    async def get_or_create(
        self,
        integration: str,
        platform: str,
        unique_id: str,
        *,
        suggested_object_id: str,
        device_id: str | None = None,
        original_name: str | None = None,
        taken: Callable[[str], bool] = lambda _: False,
    ) -> EntityEntry:
        """The entry for ``(integration, unique_id)``, created with a fresh entity id if new.

        Re-adding an integration finds its old entries, so entity ids never gain suffixes.
        """
        existing_id = self._by_unique.get((integration, unique_id))
        if existing_id is not None:
            entry = self._by_entity_id[existing_id]
            if device_id is not None and entry.device_id != device_id:
                entry = await self._set_device(entry, device_id)
            return entry
        entry = EntityEntry(
            entity_id=self._free_entity_id(platform, suggested_object_id, taken),
            integration=integration,
            platform=platform,
            unique_id=unique_id,
            device_id=device_id,
            original_name=original_name,
        )

        def insert(session: Session) -> None:
            session.add(
                EntityRow(
                    entity_id=entry.entity_id,
                    integration=integration,
                    platform=platform,
                    unique_id=unique_id,
                    device_id=device_id,
                    original_name=original_name,
                    options={},
                )
            )

        self._store(entry)
        try:
            await self._db.run(insert)
        except Exception:
            self._forget(entry)
            raise
        self._bus.fire(
            EVENT_ENTITY_REGISTRY_UPDATED, {"action": "create", "entity_id": entry.entity_id}
        )
        return entry

    async def _set_device(self, entry: EntityEntry, device_id: str) -> EntityEntry:
        def write(session: Session) -> None:
            row = session.scalars(
                select(EntityRow).where(EntityRow.entity_id == entry.entity_id)
            ).one()
            row.device_id = device_id

        await self._db.run(write)
        new = EntityEntry(**{**_asdict(entry), "device_id": device_id})
        self._store(new)
        return new

    async def remove(self, entity_ids: Collection[str]) -> int:
        """Delete entries; return how many existed."""
        ids = [e for e in entity_ids if e in self._by_entity_id]
        if not ids:
            return 0

        def delete_rows(session: Session) -> None:
            session.execute(delete(EntityRow).where(EntityRow.entity_id.in_(ids)))

        await self._db.run(delete_rows)
        for entity_id in ids:
            self._forget(self._by_entity_id[entity_id])
            self._bus.fire(
                EVENT_ENTITY_REGISTRY_UPDATED, {"action": "remove", "entity_id": entity_id}
            )
        return len(ids)

    def orphans(self, provided_integrations: Collection[str]) -> list[EntityEntry]:
        """Entries whose integration is not among ``provided_integrations``."""
        return [
            e for e in self._by_entity_id.values() if e.integration not in provided_integrations
        ]

    def _store(self, entry: EntityEntry) -> None:
        self._by_entity_id[entry.entity_id] = entry
        self._by_unique[(entry.integration, entry.unique_id)] = entry.entity_id

    def _forget(self, entry: EntityEntry) -> None:
        self._by_entity_id.pop(entry.entity_id, None)
        self._by_unique.pop((entry.integration, entry.unique_id), None)

    def _device_removed(self, event: Event) -> None:
        # The database cascade already deleted the rows; purge memory to match.
        device_id = event.data["device_id"]
        for entry in [e for e in self._by_entity_id.values() if e.device_id == device_id]:
            self._forget(entry)


def _asdict(entry: EntityEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in EntityEntry.__dataclass_fields__}
