"""The writer's batch path: rows and block summaries built in one pass over many batches
(several multi-row inserts each on SQLite), ids reserved on PostgreSQL even when the
sequence is not consecutive, and state text that needs escaping in ``COPY``, on SQLite
and PostgreSQL."""

from __future__ import annotations

import random
from typing import Any

import pytest
from blocks_reference import expected_blocks, stored_blocks
from recorder_helpers import T0, StartRecorder
from sqlalchemy import Connection, text

from hub.core.clock import ManualClock
from hub.recorder import blocks, sqlite_insert, writer
from hub.recorder.history import HistoryQuery, get_history

DAY = 86_400.0
ENTITIES = [f"sensor.tank_{index}" for index in range(7)]


def _states(conn: Connection) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in conn.execute(
            text(
                "SELECT m.entity_id, s.state, s.last_updated_ts, s.last_reported_ts, "
                "s.origin_idx, a.shared_attrs FROM states s "
                "JOIN states_meta m ON m.metadata_id = s.metadata_id "
                "LEFT JOIN state_attributes a ON a.attributes_id = s.attributes_id "
                "ORDER BY s.state_id"
            )
        )
    ]


async def test_blocks_match_the_states_across_batches_late_readings_and_purge(
    start_recorder: StartRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "BATCH_SIZE", 37)  # many batches, blocks split between them
    monkeypatch.setattr(blocks, "MERGE_CHUNK", 5)  # several block statements per batch
    monkeypatch.setattr(sqlite_insert, "ROWS_PER_INSERT", 4)  # several inserts a batch
    hub, recorder = await start_recorder({"keep_days": 1}, clock=ManualClock(T0 + DAY + 400.5))
    generator = random.Random(17)
    choices = ["12.5", "12.5", "-3", "7.25", "on", "unavailable", "nan", "inf", "40"]
    for second in range(900):
        entity_id = ENTITIES[second % len(ENTITIES)]
        attributes = {"unit_of_measurement": "cm", "step": second // 200}  # new sets mid-run
        hub.states.set(entity_id, generator.choice(choices), attributes, timestamp=T0 + second)
        if second % 50 == 0:  # late readings in blocks written by earlier batches
            late = T0 + generator.uniform(0, second + 1)
            recorder.record_state_at(entity_id, generator.choice(choices), None, late)
        if second % 300 == 299:
            await recorder.flush()
    await recorder.flush()

    stored = await recorder.run_query(stored_blocks)
    assert stored == await recorder.run_query(expected_blocks)
    assert sum(row[2] for row in stored) == len(await recorder.run_query(_states))

    result = await recorder.purge()  # the cut falls inside a block
    assert result.states > 0
    for second in range(900, 960):
        hub.states.set(ENTITIES[0], str(second), None, timestamp=T0 + second)
    await recorder.flush()
    assert await recorder.run_query(stored_blocks) == await recorder.run_query(expected_blocks)


async def test_repeated_reports_fold_into_rows_of_the_same_batch(
    start_recorder: StartRecorder,
) -> None:
    hub, recorder = await start_recorder({"commit_interval": 3600})
    hub.states.set("sensor.flow", "5", {"unit": "l"}, timestamp=T0)
    hub.states.set("sensor.flow", "5", {"unit": "l"}, timestamp=T0 + 30)
    hub.states.set("sensor.level", "1", timestamp=T0 + 31)
    recorder.record_state_at("sensor.flow", "4", None, T0 - 10)
    hub.states.set("sensor.flow", "5", {"unit": "l"}, timestamp=T0 + 60)
    await recorder.flush()

    # (SQLite inserts a batch entity by entity, so compare in entity and time order.)
    assert sorted(await recorder.run_query(_states), key=lambda row: row[:3]) == [
        ("sensor.flow", "4", T0 - 10, None, 1, None),
        ("sensor.flow", "5", T0, T0 + 60, 0, '{"unit":"l"}'),
        ("sensor.level", "1", T0 + 31, None, 0, None),
    ]


@pytest.mark.postgres
async def test_postgres_ids_that_are_not_consecutive(
    start_recorder: StartRecorder, db_url: str
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the id reservation is PostgreSQL's")
    hub, recorder = await start_recorder()

    def step_by_three(conn: Connection) -> None:
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('states', 'state_id'), 1000); "
                "ALTER SEQUENCE states_state_id_seq INCREMENT BY 3"
            )
        )
        conn.commit()

    await recorder.run_query(step_by_three)
    for second in range(200):
        hub.states.set(ENTITIES[second % 3], str(second % 17), timestamp=T0 + second * 0.7)
    await recorder.flush()

    ids = await recorder.run_query(
        lambda conn: list(conn.scalars(text("SELECT state_id FROM states ORDER BY state_id")))
    )
    assert ids == list(range(1003, 1003 + 3 * 200, 3))
    assert await recorder.run_query(stored_blocks) == await recorder.run_query(expected_blocks)


async def test_state_text_that_needs_escaping_is_stored_as_given(
    start_recorder: StartRecorder,
) -> None:
    hub, recorder = await start_recorder()
    values = ["tab\there", "line\nbreak", "back\\slash", "\\N", "", "quote\"'", "ünïcødé ✓"]
    for index, value in enumerate(values):
        hub.states.set("sensor.text", value, {"note": value}, timestamp=T0 + index)
    await recorder.flush()

    (history,) = await recorder.run_query(
        lambda conn: get_history(conn, HistoryQuery("default", T0, T0 + 60, ["sensor.text"]))
    )
    assert [(item["state"], item["attributes"]) for item in history] == [
        (value, {"note": value}) for value in values
    ]
