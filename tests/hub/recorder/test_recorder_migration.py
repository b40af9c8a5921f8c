"""An older database is upgraded in place, in the background, with progress."""

from __future__ import annotations

import asyncio

from recorder_helpers import T0, StartRecorder
from sqlalchemy import create_engine, inspect, select, text

from hub.recorder.history import HistoryQuery, get_history
from hub.recorder.recorder import MIGRATION_NOTICE
from hub.recorder.schema import SCHEMA_VERSION, Events, EventTypes, SchemaChange

V1_STATES = (
    "CREATE TABLE states (state_id {pk}, entity_id VARCHAR(255), state VARCHAR(255), "
    "attributes TEXT, last_changed_ts DOUBLE PRECISION, last_updated_ts DOUBLE PRECISION)"
)
V1_EVENTS = (
    "CREATE TABLE events (event_id {pk}, event_type VARCHAR(64), event_data TEXT, "
    "time_fired_ts DOUBLE PRECISION)"
)
V1_INDEX = "CREATE INDEX ix_states_entity_id_last_updated_ts ON states (entity_id, last_updated_ts)"


def create_v1_database(url: str, readings: int) -> None:
    """A version 1 database: entity ids and JSON attributes inline in every row."""
    engine = create_engine(url)
    pk = "INTEGER PRIMARY KEY" if url.startswith("sqlite") else "SERIAL PRIMARY KEY"
    with engine.begin() as conn:
        conn.execute(text(V1_STATES.format(pk=pk)))
        conn.execute(text(V1_EVENTS.format(pk=pk)))
        conn.execute(text(V1_INDEX))
        conn.execute(
            text(
                "INSERT INTO states (entity_id, state, attributes, last_changed_ts, "
                "last_updated_ts) VALUES (:e, :s, :a, :t, :t)"
            ),
            [
                {
                    "e": f"sensor.tank_{index % 2}",
                    "s": str(index),
                    "a": '{"unit_of_measurement":"cm"}',
                    "t": T0 + index,
                }
                for index in range(readings)
            ],
        )
        conn.execute(
            text(
                "INSERT INTO events (event_type, event_data, time_fired_ts) "
                "VALUES ('button_pressed', '{\"button\":\"red\"}', :t)"
            ),
            {"t": T0},
        )
    engine.dispose()


async def test_v1_database_is_migrated_in_place(start_recorder: StartRecorder, db_url: str) -> None:
    await asyncio.to_thread(create_v1_database, db_url, 25_000)
    hub, recorder = await start_recorder()
    hub.states.set("sensor.tank_0", "live", timestamp=T0 + 100_000)
    await recorder.flush()

    assert recorder.migration["version"] == SCHEMA_VERSION
    assert recorder.stats()["schema_version"] == SCHEMA_VERSION
    versions = await recorder.run_query(
        lambda conn: list(conn.scalars(select(SchemaChange.schema_version)))
    )
    assert versions == list(range(2, SCHEMA_VERSION + 1))
    columns = await recorder.run_query(
        lambda conn: {c["name"] for c in inspect(conn).get_columns("states")}
    )
    assert "entity_id" not in columns
    assert {"metadata_id", "attributes_id", "last_reported_ts"} <= columns
    history = await recorder.run_query(
        lambda conn: get_history(
            conn, HistoryQuery("default", T0, T0 + 200_000, ["sensor.tank_0"], max_points=None)
        )
    )
    states = history[0]
    assert len(states) == 12_501
    assert states[0]["state"] == "0"
    assert states[0]["attributes"] == {"unit_of_measurement": "cm"}
    assert states[-1]["state"] == "live"
    events = await recorder.run_query(
        lambda conn: conn.execute(
            select(EventTypes.event_type, Events.site_id).join(
                EventTypes, EventTypes.event_type_id == Events.event_type_id
            )
        ).all()
    )
    assert ("button_pressed", "default") in [tuple(row) for row in events]
    for _ in range(100):
        if recorder.migration.get("finished"):
            break
        await asyncio.sleep(0.01)
    assert recorder.migration["finished"] is True
    assert recorder.migration["done"] == recorder.migration["total"]
    assert hub.notices.get(MIGRATION_NOTICE) is None


async def test_fresh_database_is_created_at_the_current_version(
    start_recorder: StartRecorder,
) -> None:
    _hub, recorder = await start_recorder()
    versions = await recorder.run_query(
        lambda conn: list(conn.scalars(select(SchemaChange.schema_version)))
    )
    assert versions == [SCHEMA_VERSION]
    assert recorder.migration == {}
