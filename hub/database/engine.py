"""Creating SQLAlchemy engines with the settings each backend needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_DB_FILE = "fieldhub.db"


def default_db_url(config_dir: Path) -> str:
    """The SQLite file in the configuration directory."""
    return f"sqlite:///{(config_dir / DEFAULT_DB_FILE).absolute()}"


def is_sqlite(url: str) -> bool:
    """True for SQLite URLs."""
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Up to 64 MiB of page cache (allocated as used): the history index of many entities
    # interleaved touches many pages per batch, and re-reading them cost the writer more
    # than anything else.
    cursor.execute("PRAGMA cache_size=-65536")
    # Statement journals in memory: each multi-row INSERT keeps one, and on disk it was a
    # write() per modified page while inserting.
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode, foreign keys, a busy timeout, a larger
    page cache and in-memory statement journals."""
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if make_url(url).get_backend_name() == "postgresql" and "+" not in url.split(":", 1)[0]:
        url = url.replace("postgresql:", "postgresql+psycopg:", 1)
    return create_engine(url, pool_pre_ping=True)
