"""Recorder figures: commit throughput vs the raw driver, history latency, size on disk.

Run: ``.venv/bin/python tests/bench/bench_recorder.py [--rows N] [--no-postgres]``.
Prints rows/s committed by the recorder's writer (batched, its real code path, the block
summaries of ``states_blocks`` included) to SQLite and PostgreSQL next to the raw driver's
``executemany`` of the same rows in the same run (the ceiling of the budget; the two
alternate ``--repeat`` times on fresh databases and the medians are printed; PostgreSQL's
raw ``COPY`` is printed beside it, as the writer uses ``COPY`` there),
the p50 and p95 of a one-entity, 24 h at 1 Hz history query downsampled to 1,000 points on
both backends, and the SQLite file size per million recorded states. ``--history-only``
measures the history query alone (faster, for repeated runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

from sqlalchemy import Engine, text

from hub.core.context import Context
from hub.core.state import State
from hub.database.engine import create_db_engine
from hub.recorder.backlog import KIND_STATE, Backlog
from hub.recorder.history import HistoryQuery, get_history
from hub.recorder.migrations import create_fresh
from hub.recorder.writer import Writer
from hub.testing.postgres import PostgresServer, find_binaries, start_postgres

T0 = 1_767_225_600.0
ATTRS = MappingProxyType({"unit_of_measurement": "cm", "state_class": "measurement"})


def _states(count: int, entities: int, start: float = T0, step: float = 1.0) -> list[State]:
    result = []
    for index in range(count):
        when = dt.datetime.fromtimestamp(start + (index // entities) * step, dt.UTC)
        result.append(
            State(
                f"sensor.s{index % entities}",
                f"{index % 1000 / 10}",
                ATTRS,
                when,
                when,
                when,
                Context(),
            )
        )
    return result


def _writer(engine: Engine, max_items: int) -> Writer:
    create_fresh(engine)
    return Writer(engine, "default", Backlog(max_items), 1.0, lambda *args: None)


def recorder_rate(engine: Engine, states: list[State]) -> float:
    """Rows/s through the writer's batch path (queue → rows → executemany → commit)."""
    writer = _writer(engine, len(states) + 1)
    for state in states[:1000]:  # warm the id caches as a running hub would have them
        writer.backlog.put((KIND_STATE, state.entity_id, state))
    writer.write_pending()
    for state in states:
        writer.backlog.put((KIND_STATE, state.entity_id, state))
    started = time.perf_counter()
    writer.write_pending()
    return len(states) / (time.perf_counter() - started)


def raw_rate(engine: Engine, states: list[State], placeholder: str, *, copy: bool = False) -> float:
    """Rows/s of the bare driver's executemany of prepared tuples (the ceiling), or of
    PostgreSQL's ``COPY`` of them with ``copy``."""
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS raw_states"))
        conn.execute(
            text(
                "CREATE TABLE raw_states (state_id INTEGER PRIMARY KEY, metadata_id INTEGER, "
                "state VARCHAR(255), attributes_id INTEGER, last_updated_ts DOUBLE PRECISION, "
                "last_changed_ts DOUBLE PRECISION, last_reported_ts DOUBLE PRECISION, "
                "origin_idx SMALLINT, context_id_bin BYTEA)".replace(
                    "BYTEA", "BLOB" if placeholder == "?" else "BYTEA"
                ).replace(
                    "INTEGER PRIMARY KEY",
                    "INTEGER PRIMARY KEY" if placeholder == "?" else "SERIAL PRIMARY KEY",
                )
            )
        )
        conn.execute(text("CREATE INDEX ix_raw ON raw_states (metadata_id, last_updated_ts)"))
    rows = [
        (index % 100, state.state, 1, state.last_updated.timestamp(), None, None, 0, os.urandom(16))
        for index, state in enumerate(states)
    ]
    columns = (
        "metadata_id, state, attributes_id, last_updated_ts, "
        "last_changed_ts, last_reported_ts, origin_idx, context_id_bin"
    )
    sql = f"INSERT INTO raw_states ({columns}) VALUES ({', '.join([placeholder] * 8)})"
    connection = engine.raw_connection()
    try:
        started = time.perf_counter()
        for first in range(0, len(rows), 20_000):
            cursor = connection.cursor()
            if copy:
                driver = connection.driver_connection.cursor()  # type: ignore[union-attr]
                with driver.copy(f"COPY raw_states ({columns}) FROM STDIN") as stream:
                    for row in rows[first : first + 20_000]:
                        stream.write_row(row)
            else:
                cursor.executemany(sql, rows[first : first + 20_000])
            cursor.close()
            connection.commit()
        return len(rows) / (time.perf_counter() - started)
    finally:
        connection.close()


def history_latency(engine: Engine, runs: int) -> tuple[float, float, int]:
    """p50 and p95 (ms) of one entity's 24 h at 1 Hz history, downsampled to 1,000 points.

    The table is analysed first, as a running hub's database is (PostgreSQL's autovacuum
    does it within a minute of the inserts; the first reads on a never-analysed table get
    a row estimate of almost nothing and a plan to match).
    """
    writer = _writer(engine, 200_000)
    for state in _states(86_400, 1):
        writer.backlog.put((KIND_STATE, state.entity_id, state))
    writer.write_pending()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")
    query = HistoryQuery(
        "default", T0, T0 + 86_400, ["sensor.s0"], max_points=1000, minimal_response=True
    )
    timings = []
    points = 0
    for _ in range(runs + 3):  # the first reads warm the caches
        started = time.perf_counter()
        with engine.connect() as conn:
            points = len(get_history(conn, query)[0])
        timings.append((time.perf_counter() - started) * 1000)
    timings = timings[3:]
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1], points


def _report_history(name: str, url: str, runs: int) -> None:
    engine = create_db_engine(url)
    try:
        p50, p95, points = history_latency(engine, runs)
    finally:
        engine.dispose()
    print(
        f"{name + ' history 24h@1Hz':<28} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms"
        f"   {points} points (budget p95 50 ms)"
    )


def sqlite_size_per_million(directory: Path, count: int) -> float:
    """MB of SQLite file per million recorded states (100 entities, 1 Hz, with attributes)."""
    path = directory / "size.db"
    engine = create_db_engine(f"sqlite:///{path}")
    writer = _writer(engine, count + 1)
    for state in _states(count, 100):
        writer.backlog.put((KIND_STATE, state.entity_id, state))
    writer.write_pending()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path.stat().st_size / 1e6 * 1_000_000 / count


def _report(name: str, ours: list[float], ceiling: list[float], extra: str = "") -> None:
    recorder, raw = statistics.median(ours), statistics.median(ceiling)
    print(
        f"{name:<28} recorder {recorder:>10,.0f} rows/s   raw executemany {raw:>10,.0f} rows/s"
        f"   {recorder / raw:6.1%} of ceiling (budget 50 %){extra}"
    )


def _with_engine(url: str, job: Callable[[Engine], float]) -> float:
    engine = create_db_engine(url)
    try:
        return job(engine)
    finally:
        engine.dispose()


def _report_commits(
    base: Path, server: PostgresServer | None, states: list[State], repeat: int
) -> None:
    """Alternate the writer and the raw driver ``repeat`` times per backend; print medians."""
    runs: dict[str, list[float]] = {}
    for attempt in range(repeat):
        for name, url, job in _commit_jobs(base, server, states, attempt):
            runs.setdefault(name, []).append(_with_engine(url(), job))
    _report("SQLite (WAL) commit", runs["sqlite"], runs["sqlite raw"])
    if server is not None:
        copy = statistics.median(runs["postgres raw copy"])
        _report(
            "PostgreSQL commit", runs["postgres"], runs["postgres raw"], f"; raw COPY {copy:,.0f}"
        )


def _commit_jobs(
    base: Path, server: PostgresServer | None, states: list[State], attempt: int
) -> list[tuple[str, Callable[[], str], Callable[[Engine], float]]]:
    jobs: list[tuple[str, Callable[[], str], Callable[[Engine], float]]] = [
        (
            "sqlite",
            lambda: f"sqlite:///{base / f'a{attempt}.db'}",
            lambda e: recorder_rate(e, states),
        ),
        (
            "sqlite raw",
            lambda: f"sqlite:///{base / f'b{attempt}.db'}",
            lambda e: raw_rate(e, states, "?"),
        ),
    ]
    if server is not None:
        jobs += [
            ("postgres", server.create_database, lambda e: recorder_rate(e, states)),
            ("postgres raw", server.create_database, lambda e: raw_rate(e, states, "%s")),
            (
                "postgres raw copy",
                server.create_database,
                lambda e: raw_rate(e, states, "%s", copy=True),
            ),
        ]
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--size-rows", type=int, default=1_000_000)
    parser.add_argument("--history-runs", type=int, default=50)
    parser.add_argument("--history-only", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="alternating commit runs")
    args = parser.parse_args()
    states = _states(args.rows, 100)
    postgres = not args.no_postgres and find_binaries() is not None
    base = Path(tempfile.mkdtemp(prefix="bench-recorder-"))
    pg_base = Path(tempfile.mkdtemp(prefix="bench-recorder-pg-"))
    server = start_postgres(pg_base) if postgres else None
    try:
        if not args.history_only:
            _report_commits(base, server, states, args.repeat)
        _report_history("SQLite", f"sqlite:///{base / 'h.db'}", args.history_runs)
        if server is not None:
            _report_history("PostgreSQL", server.create_database(), args.history_runs)
        if not args.history_only:
            size = sqlite_size_per_million(base, args.size_rows)
            print(f"{'SQLite size':<28} {size:6.1f} MB per million states")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(pg_base, ignore_errors=True)


if __name__ == "__main__":
    main()
