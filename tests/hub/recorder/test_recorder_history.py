"""History reads: the downsampled read equals the Python reference on the same rows, on
SQLite and PostgreSQL; the covering history index arrives by migration."""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import Sequence
from typing import Any

import pytest
from recorder_helpers import T0, StartRecorder
from sqlalchemy import create_engine, inspect, select, text

from hub.recorder.downsample import keep_indices
from hub.recorder.history import HistoryQuery, get_history
from hub.recorder.migrations import create_fresh
from hub.recorder.schema import SCHEMA_VERSION, SchemaChange

ENTITY = "sensor.tank_level"


def reference_keep_indices(states: Sequence[str | None], max_points: int) -> list[int]:
    """The downsampling rule written out plainly: non-numeric states, the first and last
    numeric points, and each equal-count bucket's first minimum and first maximum."""
    if len(states) <= max_points:
        return list(range(len(states)))
    values: list[float | None] = []
    for state in states:
        try:
            number = float(state)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = math.nan
        values.append(number if math.isfinite(number) else None)
    fixed = [index for index, value in enumerate(values) if value is None]
    numeric = [index for index, value in enumerate(values) if value is not None]
    picked = set(fixed)
    if numeric:
        picked |= {numeric[0], numeric[-1]}
        buckets = max(1, max(2, max_points - len(fixed) - 2) // 2)
        size = -(-len(numeric) // buckets)
        for first in range(0, len(numeric), size):
            bucket = numeric[first : first + size]
            low = min(values[index] for index in bucket)  # type: ignore[type-var]
            high = max(values[index] for index in bucket)  # type: ignore[type-var]
            picked.add(next(index for index in bucket if values[index] == low))
            picked.add(next(index for index in bucket if values[index] == high))
    return sorted(picked)


def _series(seed: int, count: int, odd: Sequence[str]) -> list[str]:
    generator = random.Random(seed)
    states = [f"{generator.uniform(0, 100):.1f}" for _ in range(count)]
    for index in generator.sample(range(count), 12):
        states[index] = generator.choice(odd)
    states[count // 3] = "999.9"
    states[2 * count // 3] = "-999.9"
    return states


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("max_points", [2, 3, 50, 400])
def test_keep_indices_matches_the_plain_rule(seed: int, max_points: int) -> None:
    odd = ["unavailable", "nan", "inf", "-inf", "1e308", "-1e308", "", " 7 ", "1_0", "on"]
    states: list[str | None] = list(_series(seed, 3_000, odd))
    if seed % 2:
        states[17] = None
    assert keep_indices(states, max_points) == reference_keep_indices(states, max_points)


@pytest.mark.parametrize(
    "states",
    [
        ["1e308"] * 5 + ["1e308"] * 5,  # finite terms whose sum overflows
        ["1", "inf", "2", "-inf", "3", "nan", "4", "5", "6", "7"],
        [str(index % 3) for index in range(10)],
        ["7"] * 10,
    ],
)
def test_keep_indices_fast_path_handles_non_finite_values(states: list[str]) -> None:
    assert keep_indices(states, 4) == reference_keep_indices(states, 4)


async def _record(start_recorder: StartRecorder, states: Sequence[str]) -> Any:
    hub, recorder = await start_recorder()
    attributes = [{"unit_of_measurement": "cm"}, {"unit_of_measurement": "cm", "low": True}]
    previous = None
    for second, state in enumerate(states):
        # The state machine does not add a row for a repeated value: nudge the repeats.
        value = state if state != previous else f"{state} "
        hub.states.set(ENTITY, value, attributes[second // 500 % 2], timestamp=T0 + second)
        previous = value
    await recorder.flush()
    return recorder


def _history(recorder: Any, **options: Any) -> Any:
    query = HistoryQuery("default", T0, T0 + 86_400, [ENTITY], **options)
    return recorder.run_query(lambda conn: get_history(conn, query))


@pytest.mark.parametrize("options", [{}, {"minimal_response": True}, {"no_attributes": True}])
async def test_downsampled_history_equals_the_reference_on_the_same_rows(
    start_recorder: StartRecorder, options: dict[str, bool]
) -> None:
    odd = ["unavailable", "unknown", "nan", "inf", "on"]
    states = _series(1, 3_000, odd)
    recorder = await _record(start_recorder, states)

    (full,) = await _history(recorder, **options)
    (sampled,) = await _history(recorder, max_points=300, **options)

    assert len(full) == 3_000
    kept = reference_keep_indices([item["state"] for item in full], 300)
    expected = [full[index] for index in kept]
    if options.get("minimal_response"):
        # Only the first and last objects are complete; in between, state and last_changed.
        full_objects = (await _history(recorder))[0]
        expected = [
            full_objects[index]
            if position in (0, len(kept) - 1)
            else {"state": full[index]["state"], "last_changed": full[index]["last_changed"]}
            for position, index in enumerate(kept)
        ]
    assert sampled == expected
    sampled_states = [item["state"] for item in sampled]
    assert {"999.9", "-999.9", "unavailable", "unknown", "on"} <= set(sampled_states)
    assert sampled[0]["last_updated"] == "2026-01-01T00:00:00+00:00"
    assert sampled[-1]["last_changed"] == full[-1]["last_changed"]


async def test_states_holding_the_separator_are_read_row_by_row(
    start_recorder: StartRecorder,
) -> None:
    states = [str(index % 10) for index in range(400)]
    states[100] = "a\x1fb"
    states[250] = "55"
    recorder = await _record(start_recorder, states)

    (full,) = await _history(recorder)
    (sampled,) = await _history(recorder, max_points=20)

    kept = reference_keep_indices([item["state"] for item in full], 20)
    assert sampled == [full[index] for index in kept]
    assert {"a\x1fb", "55"} <= {item["state"] for item in sampled}


async def test_downsampled_history_starts_with_the_state_in_effect(
    start_recorder: StartRecorder,
) -> None:
    recorder = await _record(start_recorder, [str(index % 50) for index in range(1_000)])
    query = HistoryQuery("default", T0 + 499.5, T0 + 2_000, [ENTITY], max_points=10)

    (sampled,) = await recorder.run_query(lambda conn: get_history(conn, query))

    assert sampled[0]["state"] == "49"
    assert sampled[0]["last_updated"] == "2026-01-01T00:08:19.500000+00:00"
    assert sampled[-1]["state"] == "49"
    assert len(sampled) <= 1 + 10 + 2


def create_v4_database(url: str, readings: int) -> None:
    """A version 4 database: the states index without the history columns."""
    engine = create_engine(url)
    create_fresh(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_states_history"))
        conn.execute(
            text(
                "CREATE INDEX ix_states_metadata_id_last_updated_ts "
                "ON states (metadata_id, last_updated_ts)"
            )
        )
        conn.execute(text("DELETE FROM schema_changes"))
        conn.execute(
            text("INSERT INTO schema_changes (schema_version, changed_ts) VALUES (4, :t)"),
            {"t": T0},
        )
        conn.execute(
            text("INSERT INTO states_meta (site_id, entity_id) VALUES ('default', :e)"),
            {"e": ENTITY},
        )
        conn.execute(
            text(
                "INSERT INTO states (metadata_id, state, last_updated_ts, origin_idx) "
                "VALUES (1, :s, :t, 0)"
            ),
            [{"s": str(index % 7), "t": T0 + index} for index in range(readings)],
        )
    engine.dispose()


async def test_version_4_gets_the_history_index(start_recorder: StartRecorder, db_url: str) -> None:
    await asyncio.to_thread(create_v4_database, db_url, 2_000)
    hub, recorder = await start_recorder()
    hub.states.set(ENTITY, "live", timestamp=T0 + 5_000)
    await recorder.flush()

    versions = await recorder.run_query(
        lambda conn: list(conn.scalars(select(SchemaChange.schema_version)))
    )
    assert versions == [4, 5, 6] == [4, 5, SCHEMA_VERSION]
    indexes = await recorder.run_query(
        lambda conn: {
            index["name"]: index["column_names"] for index in inspect(conn).get_indexes("states")
        }
    )
    assert indexes["ix_states_history"] == [
        "metadata_id",
        "last_updated_ts",
        "state_id",
        "state",
    ]
    assert "ix_states_metadata_id_last_updated_ts" not in indexes
    (full,) = await _history(recorder)
    (sampled,) = await _history(recorder, max_points=100)
    assert len(full) == 2_001
    kept = reference_keep_indices([item["state"] for item in full], 100)
    assert sampled == [full[index] for index in kept]
    assert sampled[-1]["state"] == "live"
