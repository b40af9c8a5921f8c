"""Writing one batch of queued items in one transaction (writer thread)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, bindparam, insert, update

from hub.core.bus import Event
from hub.recorder.backlog import KIND_EVENT, KIND_REPORTED, Item
from hub.recorder.blocks import merge_blocks
from hub.recorder.codec import encode_json
from hub.recorder.rows import STATE_COLUMNS, SharedRows, event_row
from hub.recorder.schema import Events, States, table_of
from hub.recorder.sqlite_insert import insert_states
from hub.recorder.state_rows import build_state_rows

if TYPE_CHECKING:
    import psycopg

_STATES = table_of(States)
_EVENTS = table_of(Events)
_REPORTED = (
    update(_STATES)
    .where(
        _STATES.c.metadata_id == bindparam("m"),
        _STATES.c.last_updated_ts == bindparam("u"),
    )
    .values(last_reported_ts=bindparam("r"))
)


@dataclass(slots=True)
class BatchResult:
    """Rows written by one batch."""

    states: int = 0
    events: int = 0
    reports: int = 0


def write_batch(conn: Connection, shared: SharedRows, items: Sequence[Item]) -> BatchResult:
    """Insert the states and events of ``items``, merge the states into their blocks and
    apply the ``last_reported`` moves, all in the caller's transaction."""
    reported = {key: payload for kind, key, payload in items if kind == KIND_REPORTED}
    events: list[Event] = [payload for kind, _, payload in items if kind == KIND_EVENT]
    entity_ids = {key for kind, key, _ in items if kind != KIND_EVENT}
    result = BatchResult()
    if entity_ids:
        metadata = shared.metadata_ids(conn, entity_ids)
        built = build_state_rows(conn, shared, metadata, items, reported)
        if built.rows:
            ids = _insert_states(conn, built.rows)
            merge_blocks(conn, built.blocks, ids)
        result.states = len(built.rows)
        if reported:
            conn.execute(
                _REPORTED,
                [
                    {
                        "m": metadata[entity_id],
                        "u": state.last_updated.timestamp(),
                        "r": state.last_reported.timestamp(),
                    }
                    for entity_id, state in reported.items()
                ],
            )
            result.reports = len(reported)
    if events:
        conn.execute(insert(_EVENTS), _event_rows(conn, shared, events))
        result.events = len(events)
    return result


def _insert_states(conn: Connection, rows: list[tuple[Any, ...]]) -> Sequence[int]:
    """Insert ``rows`` and return their state ids, in order.

    SQLite: multi-row statements that hold the GIL briefly
    (:mod:`hub.recorder.sqlite_insert`); one connection's inserts get consecutive rowids,
    so the ids follow from the last one. PostgreSQL: hubs may insert concurrently, so the
    ids are reserved from the sequence first (one row back when they are
    consecutive, as they are unless another hub took ids meanwhile), then the rows go in
    with ``COPY``, which costs the server and the driver far less per row than an
    ``INSERT`` each.
    """
    if conn.dialect.name == "sqlite":
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            return insert_states(cursor, rows)
        finally:
            cursor.close()
    low, high, listed = conn.exec_driver_sql(_RESERVE_IDS, (len(rows),)).one()
    ids: Sequence[int] = range(low, high + 1) if listed is None else listed
    driver = cast("psycopg.Connection[Any]", conn.connection.driver_connection)
    with driver.cursor() as cursor, cursor.copy(_COPY) as copy:
        write = copy.write_row
        for state_id, row in zip(ids, rows, strict=True):
            write((state_id, *row))
    return ids


_COPY = f"COPY states (state_id, {', '.join(STATE_COLUMNS)}) FROM STDIN"
_RESERVE_IDS = (
    "SELECT min(v), max(v), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL "
    "ELSE array_agg(v ORDER BY v) END FROM (SELECT nextval("
    "(SELECT pg_get_serial_sequence('states', 'state_id'))::regclass) AS v "
    "FROM generate_series(1, %s)) AS reserved"
)


def _event_rows(
    conn: Connection, shared: SharedRows, events: Sequence[Event]
) -> list[dict[str, Any]]:
    types = shared.event_type_ids(conn, {event.event_type for event in events})
    texts = [encode_json(event.data) if event.data else None for event in events]
    data_ids = shared.resolve_event_data(conn, [text for text in texts if text is not None])
    return [
        event_row(
            shared.site_id,
            event,
            types[event.event_type],
            data_ids[text] if text is not None else None,
        )
        for event, text in zip(events, texts, strict=True)
    ]
