"""Reading state history back: per-entity changes in a period, shaped like Home Assistant's
``/api/history/period`` response, optionally downsampled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from hub.core.jsonutil import loads
from hub.recorder.downsample import keep_indices
from hub.recorder.schema import StateAttributes, StatesMeta

RawRow = tuple[str | None, float, float | None, int | None]
"""``(state, last_updated_ts, last_changed_ts, attributes_id)``."""


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """What to read: entities (None for every entity of the site) in ``[start, end)``."""

    site_id: str
    start: float
    end: float
    entity_ids: Sequence[str] | None = None
    max_points: int | None = None
    minimal_response: bool = False
    no_attributes: bool = False
    include_start_state: bool = True


def iso(timestamp: float) -> str:
    """ISO 8601 UTC text of epoch seconds."""
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat()


def metadata_ids(
    conn: Connection, site_id: str, entity_ids: Sequence[str] | None
) -> dict[str, int]:
    """Entity id → metadata id for the site (all of them when ``entity_ids`` is None)."""
    query = select(StatesMeta.entity_id, StatesMeta.metadata_id).where(
        StatesMeta.site_id == site_id
    )
    if entity_ids is not None:
        query = query.where(StatesMeta.entity_id.in_(entity_ids))
    return {entity_id: int(meta_id) for entity_id, meta_id in conn.execute(query)}


def entity_rows(
    conn: Connection, metadata_id: int, start: float, end: float, include_start_state: bool
) -> list[RawRow]:
    """Rows of one entity in ``[start, end)``, preceded by the state in effect at ``start``
    (its timestamps moved to ``start``) when asked."""
    cursor = conn.connection.cursor()
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    try:
        cursor.execute(
            "SELECT state, last_updated_ts, last_changed_ts, attributes_id FROM states "
            f"WHERE metadata_id = {mark} AND last_updated_ts >= {mark} "
            f"AND last_updated_ts < {mark} ORDER BY last_updated_ts",
            (metadata_id, start, end),
        )
        rows: list[RawRow] = list(cursor.fetchall())
        if include_start_state and (not rows or rows[0][1] > start):
            cursor.execute(
                "SELECT state, last_updated_ts, last_changed_ts, attributes_id FROM states "
                f"WHERE metadata_id = {mark} AND last_updated_ts < {mark} "
                "ORDER BY last_updated_ts DESC LIMIT 1",
                (metadata_id, start),
            )
            before = cursor.fetchone()
            if before is not None:
                rows.insert(0, (before[0], start, start, before[3]))
    finally:
        cursor.close()
    return rows


def load_attributes(conn: Connection, ids: set[int]) -> dict[int, dict[str, Any]]:
    """Decoded attribute sets by id."""
    if not ids:
        return {}
    query = select(StateAttributes.attributes_id, StateAttributes.shared_attrs).where(
        StateAttributes.attributes_id.in_(ids)
    )
    return {row_id: loads(shared) for row_id, shared in conn.execute(query)}


def _state_objects(
    entity_id: str,
    rows: Sequence[RawRow],
    attributes: dict[int, dict[str, Any]],
    query: HistoryQuery,
) -> Iterator[dict[str, Any]]:
    last = len(rows) - 1
    for index, (state, updated, changed, attributes_id) in enumerate(rows):
        changed_iso = iso(changed if changed is not None else updated)
        if query.minimal_response and 0 < index < last:
            yield {"state": state, "last_changed": changed_iso}
            continue
        item: dict[str, Any] = {
            "entity_id": entity_id,
            "state": state,
            "last_changed": changed_iso,
            "last_updated": iso(updated),
        }
        if not query.no_attributes:
            item["attributes"] = attributes.get(attributes_id, {}) if attributes_id else {}
        yield item


def get_history(conn: Connection, query: HistoryQuery) -> list[list[dict[str, Any]]]:
    """One list of state objects per entity with history in the period."""
    result = []
    per_entity = []
    attribute_ids: set[int] = set()
    for entity_id, metadata_id in sorted(
        metadata_ids(conn, query.site_id, query.entity_ids).items()
    ):
        rows = entity_rows(conn, metadata_id, query.start, query.end, query.include_start_state)
        if not rows:
            continue
        if query.max_points is not None and len(rows) > query.max_points:
            rows = [rows[index] for index in keep_indices([r[0] for r in rows], query.max_points)]
        per_entity.append((entity_id, rows))
        if not query.no_attributes:
            attribute_ids.update(row[3] for row in rows if row[3] is not None)
    attributes = load_attributes(conn, attribute_ids)
    for entity_id, rows in per_entity:
        result.append(list(_state_objects(entity_id, rows, attributes, query)))
    return result


def states_in_range(
    conn: Connection, site_id: str, entity_id: str, start: float, end: float
) -> list[tuple[str | None, float, float]]:
    """``(state, last_updated_ts, last_changed_ts)`` of one entity, oldest first."""
    meta = metadata_ids(conn, site_id, [entity_id])
    if entity_id not in meta:
        return []
    return [
        (state, updated, changed if changed is not None else updated)
        for state, updated, changed, _ in entity_rows(conn, meta[entity_id], start, end, False)
    ]
