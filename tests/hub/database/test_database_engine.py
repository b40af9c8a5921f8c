"""SQLite connections get the settings the recorder's write path relies on."""

from __future__ import annotations

from pathlib import Path

from hub.database.engine import create_db_engine


def test_sqlite_connections_are_tuned_for_batched_writes(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    try:
        with engine.connect() as conn:

            def pragma(name: str) -> object:
                return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 1  # NORMAL
            assert pragma("foreign_keys") == 1
            assert pragma("temp_store") == 2  # MEMORY: statement journals stay off disk
            assert pragma("cache_size") == -65536  # KiB
    finally:
        engine.dispose()
