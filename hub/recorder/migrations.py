"""Versioned schema migrations, run in the writer thread while the hub keeps running.

Each :class:`MigrationStep` upgrades the schema by one version. Steps work in committed
batches and only touch rows that are not yet converted, so a step interrupted by a crash
resumes where it stopped; the version is recorded in ``schema_changes`` when a step ends.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, select, text

from hub.recorder.blocks import backfill
from hub.recorder.codec import payload_hash
from hub.recorder.schema import SCHEMA_VERSION, RecorderBase, SchemaChange, table_of

_LOGGER = logging.getLogger(__name__)
BATCH = 10_000
_LOCK_KEY = 0x46_48_52_45  # "FHRE"

Progress = Callable[[int, str, int, int], None]
"""``progress(version, description, done, total)``, called from the writer thread."""


@dataclass(frozen=True, slots=True)
class MigrationStep:
    """Upgrade from ``version - 1`` to ``version``."""

    version: int
    description: str
    run: Callable[[Engine, str, Progress], None]


def current_version(engine: Engine) -> int:
    """The newest recorded schema version, 0 for a database without recorder tables."""
    tables = set(inspect(engine).get_table_names())
    if "schema_changes" not in tables:
        return 0 if "states" not in tables else 1
    with engine.connect() as conn:
        newest = conn.scalar(
            select(SchemaChange.schema_version).order_by(SchemaChange.change_id.desc()).limit(1)
        )
    return int(newest) if newest is not None else 1


def _stamp(conn: Connection, version: int) -> None:
    conn.execute(
        table_of(SchemaChange).insert().values(schema_version=version, changed_ts=time.time())
    )


def create_fresh(engine: Engine) -> None:
    """Create every recorder table of the current version and record it."""
    with engine.begin() as conn:
        RecorderBase.metadata.create_all(conn)
        _stamp(conn, SCHEMA_VERSION)


def _add_columns(engine: Engine, table: str, names: Iterable[str]) -> None:
    existing = {column["name"] for column in inspect(engine).get_columns(table)}
    declared = RecorderBase.metadata.tables[table].columns
    with engine.begin() as conn:
        for name in names:
            if name in existing:
                continue
            column_type = declared[name].type.compile(dialect=engine.dialect)
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {column_type}"))


def _drop_columns(engine: Engine, table: str, names: Iterable[str]) -> None:
    existing = {column["name"] for column in inspect(engine).get_columns(table)}
    indexes = inspect(engine).get_indexes(table)
    with engine.begin() as conn:
        for name in names:
            if name not in existing:
                continue
            for index in indexes:
                if name in index["column_names"] and index["name"]:
                    conn.execute(text(f"DROP INDEX IF EXISTS {index['name']}"))
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {name}"))


def _create_tables(engine: Engine, names: Iterable[str]) -> None:
    with engine.begin() as conn:
        for name in names:
            RecorderBase.metadata.tables[name].create(conn, checkfirst=True)


def _create_indexes(engine: Engine, table: str) -> None:
    existing = {index["name"] for index in inspect(engine).get_indexes(table)}
    with engine.begin() as conn:
        for index in RecorderBase.metadata.tables[table].indexes:
            if index.name not in existing:
                index.create(conn)


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(text(sql)) or 0)


@dataclass(frozen=True, slots=True)
class _Dedupe:
    """Inline JSON column ``src.payload`` (rows keyed by ``key``) to be moved into
    de-duplicated rows of ``table`` (``id_name``, ``hash``, ``data_column``), referenced by
    ``src.id_column``."""

    src: str
    key: str
    payload: str
    id_column: str
    table: str
    id_name: str
    data_column: str


def _dedupe(engine: Engine, spec: _Dedupe, report: Callable[[int, int], None]) -> None:
    """Convert the rows of ``spec.src`` whose id column is still NULL, in batches."""
    src, key, payload, id_column = spec.src, spec.key, spec.payload, spec.id_column
    table, data_column, id_name = spec.table, spec.data_column, spec.id_name
    total = _count(
        engine, f"SELECT COUNT(*) FROM {src} WHERE {id_column} IS NULL AND {payload} IS NOT NULL"
    )
    done = 0
    known: dict[str, int] = {}
    while True:
        with engine.begin() as conn:
            rows = conn.execute(
                text(
                    f"SELECT {key}, {payload} FROM {src} WHERE {id_column} IS NULL "
                    f"AND {payload} IS NOT NULL ORDER BY {key} LIMIT {BATCH}"
                )
            ).all()
            if not rows:
                break
            updates = []
            for row_key, shared in rows:
                row_id = known.get(shared)
                if row_id is None:
                    row_id = int(
                        conn.scalar(
                            text(
                                f"INSERT INTO {table} (hash, {data_column}) VALUES (:h, :s) "
                                f"RETURNING {id_name}"
                            ),
                            {"h": payload_hash(shared), "s": shared},
                        )
                    )
                    known[shared] = row_id
                updates.append({"k": row_key, "i": row_id})
            conn.execute(text(f"UPDATE {src} SET {id_column} = :i WHERE {key} = :k"), updates)
        done += len(rows)
        report(done, total)


def _v2_states_meta_and_attributes(engine: Engine, site_id: str, progress: Progress) -> None:
    description = "entity ids to states_meta, attributes de-duplicated"
    _create_tables(engine, ["states_meta", "state_attributes"])
    _add_columns(engine, "states", ["metadata_id", "attributes_id"])
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO states_meta (site_id, entity_id) SELECT DISTINCT :site, entity_id "
                "FROM states WHERE metadata_id IS NULL AND entity_id NOT IN "
                "(SELECT entity_id FROM states_meta WHERE site_id = :site)"
            ),
            {"site": site_id},
        )
    total = _count(engine, "SELECT COUNT(*) FROM states WHERE metadata_id IS NULL")
    done = 0
    while True:
        with engine.begin() as conn:
            ids = (
                conn.execute(
                    text(f"SELECT state_id FROM states WHERE metadata_id IS NULL LIMIT {BATCH}")
                )
                .scalars()
                .all()
            )
            if not ids:
                break
            conn.execute(
                text(
                    "UPDATE states SET metadata_id = (SELECT metadata_id FROM states_meta m "
                    "WHERE m.entity_id = states.entity_id AND m.site_id = :site) "
                    "WHERE state_id >= :low AND state_id <= :high AND metadata_id IS NULL"
                ),
                {"site": site_id, "low": min(ids), "high": max(ids)},
            )
        done += len(ids)
        progress(2, description, done, total * 2)
    _dedupe(
        engine,
        _Dedupe(
            "states",
            "state_id",
            "attributes",
            "attributes_id",
            "state_attributes",
            "attributes_id",
            "shared_attrs",
        ),
        lambda d, t: progress(2, description, total + d, total + t),
    )
    _drop_columns(engine, "states", ["entity_id", "attributes"])
    _create_indexes(engine, "states")


def _v3_event_types_context_origin(engine: Engine, site_id: str, progress: Progress) -> None:
    description = "event types and data de-duplicated, context, origin and site columns"
    _create_tables(engine, ["event_types", "event_data"])
    _add_columns(
        engine,
        "events",
        [
            "site_id",
            "event_type_id",
            "data_id",
            "origin_idx",
            "context_id_bin",
            "context_user_id_bin",
            "context_parent_id_bin",
        ],
    )
    _add_columns(
        engine,
        "states",
        [
            "last_reported_ts",
            "origin_idx",
            "context_id_bin",
            "context_user_id_bin",
            "context_parent_id_bin",
        ],
    )
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO event_types (event_type) SELECT DISTINCT event_type FROM events "
                "WHERE event_type_id IS NULL AND event_type NOT IN "
                "(SELECT event_type FROM event_types)"
            )
        )
        conn.execute(
            text(
                "UPDATE events SET event_type_id = (SELECT event_type_id FROM event_types t "
                "WHERE t.event_type = events.event_type), site_id = :site, origin_idx = 0 "
                "WHERE event_type_id IS NULL"
            ),
            {"site": site_id},
        )
        conn.execute(text("UPDATE states SET origin_idx = 0 WHERE origin_idx IS NULL"))
    _dedupe(
        engine,
        _Dedupe(
            "events", "event_id", "event_data", "data_id", "event_data", "data_id", "shared_data"
        ),
        lambda d, t: progress(3, description, d, t),
    )
    _drop_columns(engine, "events", ["event_type", "event_data"])
    _create_indexes(engine, "events")


def _v4_statistics(engine: Engine, site_id: str, progress: Progress) -> None:
    _create_tables(
        engine,
        [
            "statistics_meta",
            "statistics",
            "statistics_short_term",
            "statistics_runs",
        ],
    )
    progress(4, "statistics tables", 1, 1)


_V4_HISTORY_INDEX = "ix_states_metadata_id_last_updated_ts"


def _v5_history_index(engine: Engine, site_id: str, progress: Progress) -> None:
    """Replace the ``(metadata_id, last_updated_ts)`` index of ``states`` by the covering
    history index; the old one is a prefix of it, so every query that used it still has one."""
    description = "covering history index on states"
    progress(5, description, 0, 2)
    _create_indexes(engine, "states")
    progress(5, description, 1, 2)
    with engine.begin() as conn:
        conn.execute(text(f"DROP INDEX IF EXISTS {_V4_HISTORY_INDEX}"))
    progress(5, description, 2, 2)


def _v6_history_blocks(engine: Engine, site_id: str, progress: Progress) -> None:
    """Create ``states_blocks`` and build the blocks of the states already recorded (every
    site's: the schema is shared); until the version is recorded history reads every row."""
    description = "block summaries for downsampled history"
    _create_tables(engine, ["states_blocks"])
    backfill(engine, BATCH, lambda done, total: progress(6, description, done, total))


MIGRATIONS: tuple[MigrationStep, ...] = (
    MigrationStep(
        2, "entity ids to states_meta, attributes de-duplicated", _v2_states_meta_and_attributes
    ),
    MigrationStep(
        3,
        "event types and data de-duplicated, context, origin and site columns",
        _v3_event_types_context_origin,
    ),
    MigrationStep(4, "statistics tables", _v4_statistics),
    MigrationStep(5, "covering history index on states", _v5_history_index),
    MigrationStep(6, "block summaries for downsampled history", _v6_history_blocks),
)


def migrate(engine: Engine, from_version: int, site_id: str, progress: Progress) -> int:
    """Apply every step above ``from_version``; return the version reached."""
    version = from_version
    _create_tables(engine, ["schema_changes"])
    for step in MIGRATIONS:
        if step.version <= version:
            continue
        _LOGGER.warning(
            "Upgrading the database schema to version %s: %s", step.version, step.description
        )
        started = time.monotonic()
        step.run(engine, site_id, progress)
        with engine.begin() as conn:
            _stamp(conn, step.version)
        version = step.version
        _LOGGER.warning("Schema version %s reached in %.1f s", version, time.monotonic() - started)
    return version


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold a PostgreSQL advisory lock so that hubs sharing a database migrate one at a time
    (SQLite needs none: one process owns the file)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
            conn.commit()
