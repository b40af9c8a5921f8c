"""Writing one batch of queued items in one transaction (writer thread)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, insert, update

from hub.core.bus import Event
from hub.core.state import State
from hub.recorder.backlog import KIND_EVENT, KIND_LATE, KIND_REPORTED, Item
from hub.recorder.blocks import record_states
from hub.recorder.codec import encode_json
from hub.recorder.rows import (
    LAST_REPORTED,
    LAST_UPDATED,
    METADATA_ID,
    ORIGIN_LATE,
    ORIGIN_LIVE,
    STATE,
    STATE_COLUMNS,
    SharedRows,
    event_row,
    state_row,
)
from hub.recorder.schema import Events, States, table_of

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
    """Insert the states and events of ``items`` and apply their ``last_reported`` moves."""
    states: list[tuple[State, int]] = []
    reported: dict[str, State] = {}
    events: list[Event] = []
    for kind, key, payload in items:
        if kind == KIND_EVENT:
            events.append(payload)
        elif kind == KIND_REPORTED:
            reported[key] = payload
        else:
            states.append((payload, ORIGIN_LATE if kind == KIND_LATE else ORIGIN_LIVE))
    result = BatchResult()
    if states or reported:
        metadata = shared.metadata_ids(
            conn, {state.entity_id for state, _ in states} | reported.keys()
        )
        rows = _state_rows(conn, shared, metadata, states, reported)
        if rows:
            _insert_states(conn, rows)
        result.states = len(rows)
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


def _insert_states(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert with the bare driver's executemany (the fastest bulk path), then merge the
    rows into their blocks (:mod:`hub.recorder.blocks`), which need their state ids.

    SQLite gives one connection's executemany consecutive rowids, so the ids follow from
    the last one. PostgreSQL hubs may insert concurrently, so the ids are taken from the
    sequence first and inserted with the rows.
    """
    columns = ", ".join(STATE_COLUMNS)
    if conn.dialect.name == "sqlite":
        marks = ", ".join(["?"] * len(STATE_COLUMNS))
        conn.exec_driver_sql(f"INSERT INTO states ({columns}) VALUES ({marks})", rows)
        last = int(conn.exec_driver_sql("SELECT last_insert_rowid()").scalar_one())
        ids: Sequence[int] = range(last - len(rows) + 1, last + 1)
    else:
        ids = sorted(conn.exec_driver_sql(_NEXT_IDS, (len(rows),)).scalars())
        marks = ", ".join(["%s"] * (len(STATE_COLUMNS) + 1))
        conn.exec_driver_sql(
            f"INSERT INTO states (state_id, {columns}) VALUES ({marks})",
            [(state_id, *row) for state_id, row in zip(ids, rows, strict=True)],
        )
    record_states(
        conn,
        (
            (row[METADATA_ID], state_id, row[LAST_UPDATED], row[STATE])
            for state_id, row in zip(ids, rows, strict=True)
        ),
    )


_NEXT_IDS = (
    "SELECT nextval(seq) FROM (SELECT pg_get_serial_sequence('states', 'state_id')::regclass "
    "AS seq) s CROSS JOIN generate_series(1, %s)"
)


def _state_rows(
    conn: Connection,
    shared: SharedRows,
    metadata: Mapping[str, int],
    states: Sequence[tuple[State, int]],
    reported: dict[str, State],
) -> list[tuple[Any, ...]]:
    cached = shared.last_attributes
    attribute_refs = [
        hit[1]
        if (hit := cached.get(s.entity_id)) is not None and hit[0] is s.attributes
        else shared.attributes_id(s.entity_id, s.attributes)
        for s, _ in states
    ]
    texts = [ref for ref in attribute_refs if isinstance(ref, str)]
    ids = shared.resolve_attributes(conn, texts) if texts else {}
    rows: list[tuple[Any, ...]] = []
    latest: dict[str, int] = {}
    for (state, origin), ref in zip(states, attribute_refs, strict=True):
        if isinstance(ref, str):
            ref = ids[ref]
            shared.remember_attributes(state.entity_id, state.attributes, ref)
        if origin == ORIGIN_LIVE:
            latest[state.entity_id] = len(rows)
        rows.append(state_row(metadata[state.entity_id], state, ref, origin))
    for entity_id, state in list(reported.items()):
        index = latest.get(entity_id)
        if index is None or rows[index][LAST_UPDATED] != state.last_updated.timestamp():
            continue
        row = rows[index]
        reported_ts = state.last_reported.timestamp()
        value = None if reported_ts == row[LAST_UPDATED] else reported_ts
        rows[index] = (*row[:LAST_REPORTED], value, *row[LAST_REPORTED + 1 :])
        del reported[entity_id]
    return rows


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
