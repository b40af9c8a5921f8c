"""Turning queued states and events into table rows, with id caches for shared rows.

Everything here runs in the writer thread; the caches belong to it alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, insert, select

from hub.core.bus import Event
from hub.core.context import Context
from hub.recorder.codec import encode_json, payload_hash, ulid_to_bytes
from hub.recorder.schema import EventData, EventTypes, StateAttributes, StatesMeta, table_of

ORIGIN_LIVE = 0
ORIGIN_LATE = 1
_CACHE_LIMIT = 16_384


def context_columns(context: Context) -> tuple[bytes | None, bytes | None, bytes | None]:
    """``(context_id_bin, context_user_id_bin, context_parent_id_bin)``.

    A context id is stored only once something has asked for it (a user, a service call,
    an automation linking to it): creating ids nobody refers to would cost more than the
    rest of the row.
    """
    context_id = context.id_if_created
    user_id = context.user_id
    parent_id = context.parent_id
    return (
        ulid_to_bytes(context_id) if context_id else None,
        ulid_to_bytes(user_id) if user_id else None,
        ulid_to_bytes(parent_id) if parent_id else None,
    )


class SharedRows:
    """Ids of ``states_meta``, ``state_attributes``, ``event_types`` and ``event_data`` rows,
    looked up or created in bulk once per batch."""

    def __init__(self, site_id: str) -> None:
        self.site_id = site_id
        self._metadata: dict[str, int] = {}
        self._attributes: dict[str, int] = {}
        self.last_attributes: dict[str, tuple[Mapping[str, Any], int]] = {}
        """Entity id → (its current attribute mapping, that mapping's row id)."""
        self._event_types: dict[str, int] = {}
        self._event_data: dict[str, int] = {}

    def clear(self) -> None:
        """Forget every cached id (after a purge, or when a row vanished under us)."""
        self._metadata.clear()
        self._attributes.clear()
        self.last_attributes.clear()
        self._event_types.clear()
        self._event_data.clear()

    def known_metadata(self) -> Mapping[str, int]:
        """Entity id → metadata id, as cached."""
        return self._metadata

    def metadata_ids(self, conn: Connection, entity_ids: Iterable[str]) -> dict[str, int]:
        """Metadata ids of ``entity_ids``, creating missing ``states_meta`` rows."""
        cache = self._metadata
        missing = {entity_id for entity_id in entity_ids if entity_id not in cache}
        if missing:
            table = table_of(StatesMeta)
            found = conn.execute(
                select(StatesMeta.entity_id, StatesMeta.metadata_id).where(
                    StatesMeta.site_id == self.site_id, StatesMeta.entity_id.in_(missing)
                )
            ).all()
            cache.update({entity_id: metadata_id for entity_id, metadata_id in found})
            new = sorted(missing - cache.keys())
            if new:
                created = conn.execute(
                    insert(table).returning(
                        StatesMeta.entity_id, StatesMeta.metadata_id, sort_by_parameter_order=True
                    ),
                    [{"site_id": self.site_id, "entity_id": entity_id} for entity_id in new],
                ).all()
                cache.update({entity_id: metadata_id for entity_id, metadata_id in created})
        return cache

    def attributes_id(self, entity_id: str, attributes: Mapping[str, Any]) -> int | str | None:
        """The cached id for this attribute set, else its JSON text (resolve it later)."""
        if not attributes:
            return None
        last = self.last_attributes.get(entity_id)
        if last is not None and last[0] is attributes:
            return last[1]
        shared = encode_json(attributes)
        known = self._attributes.get(shared)
        if known is not None:
            self.last_attributes[entity_id] = (attributes, known)
            return known
        return shared

    def remember_attributes(self, entity_id: str, attributes: Mapping[str, Any], row: int) -> None:
        """Cache ``row`` as the attributes id of this entity's current attribute set."""
        self.last_attributes[entity_id] = (attributes, row)

    def resolve_attributes(self, conn: Connection, texts: Iterable[str]) -> dict[str, int]:
        """Ids of attribute JSON texts, creating missing rows."""
        return self._resolve(
            conn, texts, self._attributes, table_of(StateAttributes), "shared_attrs"
        )

    def resolve_event_data(self, conn: Connection, texts: Iterable[str]) -> dict[str, int]:
        """Ids of event payload JSON texts, creating missing rows."""
        return self._resolve(conn, texts, self._event_data, table_of(EventData), "shared_data")

    def event_type_ids(self, conn: Connection, event_types: Iterable[str]) -> dict[str, int]:
        """Ids of ``event_types``, creating missing rows."""
        cache = self._event_types
        missing = {event_type for event_type in event_types if event_type not in cache}
        if missing:
            found = conn.execute(
                select(EventTypes.event_type, EventTypes.event_type_id).where(
                    EventTypes.event_type.in_(missing)
                )
            ).all()
            cache.update({name: row_id for name, row_id in found})
            for name in sorted(missing - cache.keys()):
                cache[name] = int(
                    conn.execute(
                        insert(table_of(EventTypes))
                        .values(event_type=name)
                        .returning(EventTypes.event_type_id)
                    ).scalar_one()
                )
        return cache

    @staticmethod
    def _resolve(
        conn: Connection, texts: Iterable[str], cache: dict[str, int], table: Table, column: str
    ) -> dict[str, int]:
        wanted = {text for text in texts if text not in cache}
        if not wanted:
            return cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        id_column = table.primary_key.columns.values()[0]
        by_hash = {payload_hash(text): text for text in wanted}
        found = conn.execute(
            select(id_column, table.c[column]).where(table.c.hash.in_(by_hash))
        ).all()
        for row_id, text in found:
            if text in wanted:
                cache[text] = row_id
        new = sorted(wanted - cache.keys())
        if new:
            created = conn.execute(
                insert(table).returning(id_column, table.c[column], sort_by_parameter_order=True),
                [{"hash": payload_hash(text), column: text} for text in new],
            ).all()
            cache.update({text: row_id for row_id, text in created})
        return cache


STATE_COLUMNS = (
    "metadata_id",
    "state",
    "attributes_id",
    "last_updated_ts",
    "last_changed_ts",
    "last_reported_ts",
    "origin_idx",
    "context_id_bin",
    "context_user_id_bin",
    "context_parent_id_bin",
)
"""The ``states`` columns in the order of the writer's rows
(:func:`hub.recorder.state_rows.build_state_rows`)."""
ATTRIBUTES_ID = STATE_COLUMNS.index("attributes_id")
LAST_UPDATED = STATE_COLUMNS.index("last_updated_ts")
LAST_REPORTED = STATE_COLUMNS.index("last_reported_ts")


def event_row(site_id: str, event: Event, type_id: int, data_id: int | None) -> dict[str, Any]:
    """The ``events`` row of one recorded event."""
    context_id, user_id, parent_id = context_columns(event.context)
    return {
        "site_id": site_id,
        "event_type_id": type_id,
        "data_id": data_id,
        "time_fired_ts": event.time_fired_timestamp,
        "origin_idx": ORIGIN_LIVE,
        "context_id_bin": context_id,
        "context_user_id_bin": user_id,
        "context_parent_id_bin": parent_id,
    }
