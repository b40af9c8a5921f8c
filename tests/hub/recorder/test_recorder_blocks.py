"""Block summaries: kept by the writer (late readings too), purge and the schema 6 backfill;
downsampled history from them equals the full read when buckets align with blocks and
follows the documented rule otherwise, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

import pytest
from blocks_reference import block_rule, expected_blocks, number, stored_blocks
from recorder_helpers import T0, StartRecorder
from sqlalchemy import Connection, Engine, text
from test_recorder_history import reference_keep_indices

from hub.core.clock import ManualClock
from hub.database.engine import create_db_engine
from hub.recorder import migrations
from hub.recorder.block_read import kept_state_ids
from hub.recorder.blocks import backfill
from hub.recorder.history import HistoryQuery, get_history, metadata_ids
from hub.recorder.migrations import create_fresh
from hub.recorder.schema import SCHEMA_VERSION, StatesBlocks, table_of

ENTITY = "sensor.tank_level"
DAY = 86_400.0


async def _record(hub: Any, recorder: Any, states: Sequence[str], step: float = 1.0) -> None:
    previous = None
    for index, state in enumerate(states):
        # The state machine adds no row for a repeated value: nudge the repeats.
        value = state if state != previous else f"{state} "
        hub.states.set(ENTITY, value, {"unit_of_measurement": "cm"}, timestamp=T0 + index * step)
        previous = value
    await recorder.flush()


def _numbers(seed: int, count: int) -> list[str]:
    generator = random.Random(seed)
    return [f"{generator.uniform(0, 100):.1f}" for _ in range(count)]


def _query(start: float, end: float, max_points: int | None) -> HistoryQuery:
    return HistoryQuery(
        "default", start, end, [ENTITY], max_points=max_points, include_start_state=False
    )


def _block_ids(conn: Connection, start: float, end: float, max_points: int) -> list[int] | None:
    metadata_id = metadata_ids(conn, "default", [ENTITY])[ENTITY]
    cursor = conn.connection.cursor()
    try:
        return kept_state_ids(cursor, conn.dialect.name, metadata_id, start, end, max_points)
    finally:
        cursor.close()


async def _compare(recorder: Any, start: float, end: float, max_points: int) -> list[Any]:
    """The downsampled answer, checked to come from the blocks; returns the full read."""
    ids = await recorder.run_query(lambda conn: _block_ids(conn, start, end, max_points))
    assert ids is not None, "the blocks should answer this query"
    (full,) = await recorder.run_query(lambda c: get_history(c, _query(start, end, None)))
    (sampled,) = await recorder.run_query(lambda c: get_history(c, _query(start, end, max_points)))
    return [full, sampled]


async def test_aligned_buckets_equal_the_full_read(start_recorder: StartRecorder) -> None:
    hub, recorder = await start_recorder()
    states = _numbers(3, 7_200)
    states[1_234] = "999.9"
    states[5_000] = "-999.9"
    await _record(hub, recorder, states)
    # 62 points: 30 buckets of 240 states, four whole blocks each.
    full, sampled = await _compare(recorder, T0, T0 + 7_200, 62)

    kept = reference_keep_indices([item["state"] for item in full], 62)
    assert sampled == [full[index] for index in kept]
    assert {"999.9", "-999.9"} <= {item["state"] for item in sampled}
    assert sampled[0] == full[0]
    assert sampled[-1] == full[-1]


async def test_late_readings_non_numeric_and_partial_blocks_follow_the_rule(
    start_recorder: StartRecorder,
) -> None:
    hub, recorder = await start_recorder()
    generator = random.Random(5)
    states = _numbers(7, 7_200)
    for index in generator.sample(range(7_200), 8):
        states[index] = generator.choice(["unavailable", "unknown", "on", "nan"])
    await _record(hub, recorder, states)
    late = {T0 + 2_000.5: "5000", T0 + 4_100.5: "-5000", T0 + 6_000.5: "off"}
    for second in generator.sample(range(7_200), 30):
        late[T0 + second + 0.5] = generator.choice(["0.0", "100.0", "50.0"])  # ties, too
    for stamp, state in sorted(late.items(), reverse=True):
        recorder.record_state_at(ENTITY, state, {"unit_of_measurement": "cm"}, stamp)
    await recorder.flush()

    assert await recorder.run_query(expected_blocks) == await recorder.run_query(stored_blocks)
    for start, end, max_points in [(T0 + 30.5, T0 + 7_170.25, 75), (T0, T0 + 7_200, 101)]:
        full, sampled = await _compare(recorder, start, end, max_points)
        rows = [(_stamp(item), item["state"]) for item in full]
        assert sampled == [full[index] for index in block_rule(rows, start, end, max_points)]
        kept = {item["state"] for item in sampled}
        assert {"5000", "-5000", "off"} <= kept
        assert {item["state"] for item in full if number(item["state"]) is None} <= kept
        assert sampled[0] == full[0]
        assert sampled[-1] == full[-1]


def _stamp(item: dict[str, Any]) -> float:
    return dt.datetime.fromisoformat(item["last_updated"]).timestamp()


async def test_too_fine_or_too_short_reads_every_row(start_recorder: StartRecorder) -> None:
    hub, recorder = await start_recorder()
    await _record(hub, recorder, _numbers(2, 3_000))
    # 300 points over 24 h but 3,000 states: buckets of 10 states, finer than a block.
    assert await recorder.run_query(lambda c: _block_ids(c, T0, T0 + DAY, 300)) is None
    # 100 points over 50 minutes: finer than a block in time.
    assert await recorder.run_query(lambda c: _block_ids(c, T0, T0 + 3_000, 100)) is None


async def test_purge_removes_blocks_with_their_states(start_recorder: StartRecorder) -> None:
    clock = ManualClock(T0 + 2 * DAY + 3_630)
    _hub, recorder = await start_recorder({"keep_days": 2}, clock=clock)
    for index, state in enumerate(_numbers(9, 1_500)):
        recorder.record_state_at(ENTITY, state, None, T0 + index * 7)
    await recorder.flush()

    result = await recorder.purge()

    assert result.states == 519  # T0 + 3,630 s cuts block 60 after its first state
    assert result.states_blocks == 60
    stored = await recorder.run_query(stored_blocks)
    assert stored == await recorder.run_query(expected_blocks)
    assert stored[0][1] == T0 + 3_600
    assert stored[0][2] == 4

    await recorder.purge(keep_days=0)
    assert await recorder.run_query(stored_blocks) == []


def _version_5_database(url: str, per_entity: int) -> None:
    """A schema 5 database: states recorded, no ``states_blocks``."""
    engine = create_db_engine(url)
    create_fresh(engine)
    generator = random.Random(11)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE states_blocks"))
        conn.execute(text("UPDATE schema_changes SET schema_version = 5"))
        for entity in (ENTITY, "sensor.other"):
            conn.execute(
                text("INSERT INTO states_meta (site_id, entity_id) VALUES ('default', :e)"),
                {"e": entity},
            )
        conn.execute(
            text(
                "INSERT INTO states (metadata_id, state, last_updated_ts, origin_idx) "
                "VALUES (:m, :s, :t, 0)"
            ),
            [
                {
                    "m": 1 + index % 2,
                    "s": "unavailable" if index % 997 == 0 else f"{generator.uniform(0, 9):.2f}",
                    "t": T0 + index // 2 + (0.25 if index % 2 else 0.0),
                }
                for index in range(2 * per_entity)
            ],
        )
    engine.dispose()


async def test_version_5_is_backfilled_by_migration(
    start_recorder: StartRecorder, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await asyncio.to_thread(_version_5_database, db_url, 7_200)
    monkeypatch.setattr(migrations, "BATCH", 1_000)
    hub, recorder = await start_recorder()
    hub.states.set(ENTITY, "4.5", timestamp=T0 + 7_300)
    await recorder.flush()

    assert recorder.stats()["schema_version"] == SCHEMA_VERSION == 6
    assert await recorder.run_query(stored_blocks) == await recorder.run_query(expected_blocks)
    full, sampled = await _compare(recorder, T0, T0 + 7_200, 62)
    rows = [(_stamp(item), item["state"]) for item in full]
    assert sampled == [full[index] for index in block_rule(rows, T0, T0 + 7_200, 62)]


def _engine(url: str) -> Engine:
    return create_db_engine(url)


def test_interrupted_backfill_resumes_and_history_waits_for_it(db_url: str) -> None:
    _version_5_database(db_url, 3_000)
    engine = _engine(db_url)
    try:
        with engine.begin() as conn:
            table_of(StatesBlocks).create(conn)
        calls: list[tuple[int, int]] = []

        def interrupt(done: int, total: int) -> None:
            calls.append((done, total))
            if len(calls) == 3:
                raise RuntimeError("stopped")

        with pytest.raises(RuntimeError):
            backfill(engine, 700, interrupt)
        with engine.connect() as conn:
            assert stored_blocks(conn) != expected_blocks(conn)
            assert _block_ids(conn, T0, T0 + 3_000, 40) is None  # schema 5: not ready
        backfill(engine, 700, lambda done, total: None)
        with engine.begin() as conn:
            assert stored_blocks(conn) == expected_blocks(conn)
            conn.execute(text("UPDATE schema_changes SET schema_version = 6"))
        with engine.connect() as conn:
            assert _block_ids(conn, T0, T0 + 3_000, 40) is not None
    finally:
        engine.dispose()
