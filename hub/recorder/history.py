"""Reading state history back: per-entity changes in a period, shaped like Home Assistant's
``/api/history/period`` response, optionally downsampled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, select

from hub.core.jsonutil import loads
from hub.recorder.block_read import kept_state_ids
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


_COLUMNS = "state, last_updated_ts, last_changed_ts, attributes_id"


def entity_rows(
    conn: Connection,
    metadata_id: int,
    start: float,
    end: float,
    include_start_state: bool,
    max_points: int | None = None,
) -> list[RawRow]:
    """Rows of one entity in ``[start, end)``, preceded by the state in effect at ``start``
    (its timestamps moved to ``start``) when asked.

    With ``max_points`` the points are chosen from the period's block summaries
    (:mod:`hub.recorder.block_read`) or, when they cannot answer, from the ids and states
    of the whole period (:func:`keep_indices`); only the kept rows are read whole.
    """
    cursor = conn.connection.cursor()
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    period = (
        f"FROM states WHERE metadata_id = {mark} AND last_updated_ts >= {mark} "
        f"AND last_updated_ts < {mark} ORDER BY last_updated_ts"
    )
    try:
        if max_points is None:
            cursor.execute(f"SELECT {_COLUMNS} {period}", (metadata_id, start, end))
            rows: list[RawRow] = list(cursor.fetchall())
        else:
            rows = _downsampled(cursor, conn.dialect.name, (metadata_id, start, end), max_points)
        if include_start_state and (not rows or rows[0][1] > start):
            cursor.execute(
                f"SELECT {_COLUMNS} FROM states WHERE metadata_id = {mark} "
                f"AND last_updated_ts < {mark} ORDER BY last_updated_ts DESC LIMIT 1",
                (metadata_id, start),
            )
            before = cursor.fetchone()
            if before is not None:
                rows.insert(0, (before[0], start, start, before[3]))
    finally:
        cursor.close()
    return rows


_SEPARATOR = "\x1f"
_WHERE = "metadata_id = {m} AND last_updated_ts >= {m} AND last_updated_ts < {m}"
_PERIOD = "FROM states WHERE {where} ORDER BY last_updated_ts, state_id"
# Two values per period instead of a Python row per reading: the database does the work.
# The history index holds (metadata_id, last_updated_ts, state_id, state), so the inner
# select reads the index alone, already in order, and the aggregate adds rows in that order
# (no ORDER BY inside string_agg: PostgreSQL 15 would sort the period once more).
_SQLITE_ARRAYS = "SELECT json_group_array(state), json_group_array(state_id) FROM " + (
    "(SELECT state, state_id " + _PERIOD.format(where=_WHERE.format(m="?")) + ")"
)
_POSTGRES_TEXT = "SELECT COUNT(*), string_agg(s, chr(31)), string_agg(i::text, ',') FROM " + (
    "(SELECT COALESCE(state, '') s, state_id i "
    + _PERIOD.format(where=_WHERE.format(m="%s"))
    + ") ordered"
)
_CHUNK = 5000


def _ids_and_states(
    cursor: Any, dialect: str, params: tuple[int, float, float]
) -> tuple[Sequence[int | str], list[str | None]]:
    """State ids and states of the period, in order (ids as text where that is cheaper)."""
    if dialect == "sqlite":
        cursor.execute(_SQLITE_ARRAYS, params)
        states, ids = cursor.fetchone()
        return orjson.loads(ids), orjson.loads(states)
    if dialect == "postgresql":
        cursor.execute(_POSTGRES_TEXT, params)
        count, joined, id_text = cursor.fetchone()
        texts = joined.split(_SEPARATOR) if joined is not None else []
        if len(texts) == count:  # else a state contained the separator: read rows instead
            return (id_text.split(",") if id_text else []), list(texts)
    mark = "?" if dialect == "sqlite" else "%s"
    cursor.execute(f"SELECT state_id, state {_PERIOD.format(where=_WHERE.format(m=mark))}", params)
    rows = cursor.fetchall()
    return [row[0] for row in rows], [row[1] for row in rows]


def _rows_by_id(cursor: Any, dialect: str, state_ids: list[int]) -> list[RawRow]:
    if dialect == "postgresql":
        cursor.execute(f"SELECT {_COLUMNS} FROM states WHERE state_id = ANY(%s)", (state_ids,))
        return list(cursor.fetchall())
    mark = "?" if dialect == "sqlite" else "%s"
    rows: list[RawRow] = []
    for first in range(0, len(state_ids), _CHUNK):
        chunk = state_ids[first : first + _CHUNK]
        cursor.execute(
            f"SELECT {_COLUMNS} FROM states WHERE state_id IN ({', '.join([mark] * len(chunk))})",
            tuple(chunk),
        )
        rows.extend(cursor.fetchall())
    return rows


def _downsampled(
    cursor: Any, dialect: str, params: tuple[int, float, float], max_points: int
) -> list[RawRow]:
    kept = kept_state_ids(cursor, dialect, *params, max_points)
    if kept is None:
        state_ids, states = _ids_and_states(cursor, dialect, params)
        kept = [int(state_ids[index]) for index in keep_indices(states, max_points)]
    rows = _rows_by_id(cursor, dialect, kept)
    rows.sort(key=lambda row: row[1])
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
        rows = entity_rows(
            conn, metadata_id, query.start, query.end, query.include_start_state, query.max_points
        )
        if not rows:
            continue
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
