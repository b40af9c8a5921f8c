"""Multi-row state inserts on SQLite: every row lands as given under the id returned for
it, ids are consecutive, each entity's rows keep their order, whatever the mix of plain
rows (optional columns NULL) and full ones."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from hub.recorder import sqlite_insert
from hub.recorder.rows import STATE_COLUMNS


@pytest.fixture
def cursor() -> Iterator[sqlite3.Cursor]:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        f"CREATE TABLE states (state_id INTEGER PRIMARY KEY, {', '.join(STATE_COLUMNS)})"
    )
    cur = connection.cursor()
    yield cur
    connection.close()


def _row(generator: random.Random, index: int, plain: bool) -> tuple[Any, ...]:
    updated = 1_767_225_600.0 + index / 7
    optional: dict[str, Any] = {}
    if not plain:
        optional = {
            "last_changed_ts": updated - 3.5,
            "context_id_bin": generator.randbytes(16),
            "context_user_id_bin": None if index % 2 else generator.randbytes(16),
        }
    values = {
        "metadata_id": index % 13 + 1,
        "state": f"{index % 97 / 10}" if index % 5 else "on 'quoted' \"text\"",
        "attributes_id": None if index % 11 == 0 else index % 3 + 1,
        "last_updated_ts": updated,
        "origin_idx": index % 2,
        **optional,
    }
    return tuple(values.get(column) for column in STATE_COLUMNS)


def _stored(cur: sqlite3.Cursor) -> list[tuple[Any, ...]]:
    return cur.execute(
        f"SELECT state_id, {', '.join(STATE_COLUMNS)} FROM states ORDER BY state_id"
    ).fetchall()


def test_mixed_runs_land_under_their_ids_grouped_by_entity(
    cursor: sqlite3.Cursor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_insert, "ROWS_PER_INSERT", 64)
    generator = random.Random(5)
    expected: dict[int, tuple[Any, ...]] = {}
    index = 0
    for batch_size in (1, 2, 63, 64, 65, 300, 1000, 7):
        rows = []
        for _ in range(batch_size):
            # Runs of either kind, of random length, some longer than one statement.
            if index % 40 == 0:
                plain = generator.random() < 0.7
            rows.append(_row(generator, index, plain))
            index += 1
        ids = sqlite_insert.insert_states(cursor, rows)
        assert sorted(ids) == list(range(len(expected) + 1, len(expected) + len(rows) + 1))
        by_entity: dict[int, list[int]] = {}
        for state_id, row in zip(ids, rows, strict=True):
            expected[state_id] = row
            by_entity.setdefault(row[0], []).append(state_id)
        # Each entity's rows keep their order; the batch went in entity by entity.
        assert all(ids_ == sorted(ids_) for ids_ in by_entity.values())
        stored_entities = [row[1] for row in _stored(cursor)[-len(rows) :]]
        assert stored_entities == sorted(stored_entities)
    assert {row[0]: tuple(row[1:]) for row in _stored(cursor)} == expected


def test_statement_sizes_are_few_and_cover_the_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_insert, "ROWS_PER_INSERT", 2048)
    sizes = {size for count in range(1, 5000) for size in sqlite_insert._sizes(count)}
    assert sizes == {2**bit for bit in range(12)}
    for count in (1, 2047, 2048, 2049, 4097, 10_000):
        parts = sqlite_insert._sizes(count)
        assert sum(parts) == count
        assert parts == sorted(parts, reverse=True)


def test_plain_statements_bind_five_values_a_row() -> None:
    plain = sqlite_insert.insert_statement(3, True)
    full = sqlite_insert.insert_statement(3, False)
    assert plain.count("?") == 3 * 5 and plain.count("NULL") == 3 * 5
    assert full.count("?") == 3 * len(STATE_COLUMNS)
