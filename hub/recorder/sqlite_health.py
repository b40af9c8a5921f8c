"""Start-up health check of the SQLite file: a corrupt file is moved aside, never opened.

The check runs before the hub opens its database. The header is always checked; the full
``PRAGMA quick_check`` runs when the last shutdown left a write-ahead log behind (an unclean
stop) or when the file is small enough to check in well under a second.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)
_HEADER = b"SQLite format 3\x00"
QUICK_CHECK_BELOW = 64 * 1024 * 1024
NOTICE_ID = "recorder_corrupt_database"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file::memory:"):
        return None
    return Path(parsed.database)


def _problem(path: Path) -> str | None:
    with path.open("rb") as handle:
        header = handle.read(len(_HEADER))
    if header != _HEADER:
        return "the file does not start with the SQLite header"
    wal = path.with_name(path.name + "-wal")
    unclean = wal.exists() and wal.stat().st_size > 0
    if not unclean and path.stat().st_size >= QUICK_CHECK_BELOW:
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as err:
        return f"SQLite could not read it ({err})"
    messages = [str(row[0]) for row in rows]
    return None if messages == ["ok"] else "; ".join(messages[:5])


def check_and_quarantine(path: str | Path) -> str | None:
    """Move a corrupt SQLite file (and its -wal/-shm) aside; return where it went, else None.

    Blocking: call it from a thread (or before the loop serves anything).
    """
    file = Path(path)
    if not file.exists() or file.stat().st_size == 0:
        return None
    problem = _problem(file)
    if problem is None:
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = file.with_name(f"{file.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = file.with_name(file.name + suffix)
        if source.exists():
            os.replace(source, target.with_name(target.name + suffix))
    _LOGGER.error(
        "Database %s is corrupt (%s); moved it to %s and starting a fresh one",
        file,
        problem,
        target,
    )
    return str(target)


def quarantine_corrupt_sqlite(url: str) -> str | None:
    """:func:`check_and_quarantine` for the file of a SQLite URL (None for other databases)."""
    path = sqlite_path(url)
    return None if path is None else check_and_quarantine(path)


async def announce_quarantine(hub: Hub, moved_to: str) -> None:
    """Tell the user, with a persistent notice, that the database was replaced."""
    await hub.notices.create(
        "Database was corrupt and has been replaced",
        f"The history database could not be read, so it was moved to {moved_to} and the "
        "hub started with a new, empty one. Devices and settings stored in the database "
        "must be set up again; the old file is kept for recovery with the sqlite3 tool "
        "(.recover).",
        source="recorder",
        notice_id=NOTICE_ID,
    )
