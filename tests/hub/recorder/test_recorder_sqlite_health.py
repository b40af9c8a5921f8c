"""A corrupt SQLite file is moved aside before the hub opens it, with a notice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hub.recorder.sqlite_health import NOTICE_ID, check_and_quarantine, sqlite_path


def _make_db(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x INTEGER)")
    connection.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(5000)])
    connection.commit()
    connection.close()


def test_healthy_and_missing_files_are_left_alone(tmp_path: Path) -> None:
    assert check_and_quarantine(tmp_path / "missing.db") is None
    healthy = tmp_path / "fieldhub.db"
    _make_db(healthy)
    assert check_and_quarantine(healthy) is None
    assert healthy.exists()


def test_a_file_that_is_not_sqlite_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "fieldhub.db"
    path.write_bytes(b"this is not a database" * 100)
    (tmp_path / "fieldhub.db-wal").write_bytes(b"x" * 10)
    moved = check_and_quarantine(path)
    assert moved is not None and ".corrupt-" in moved
    assert not path.exists() and Path(moved).exists() and Path(moved + "-wal").exists()


def test_damaged_pages_are_found_by_quick_check(tmp_path: Path) -> None:
    path = tmp_path / "fieldhub.db"
    _make_db(path)
    data = bytearray(path.read_bytes())
    data[4096 + 8 : 4096 + 2000] = b"\xff" * 1992  # clobber the second page
    path.write_bytes(bytes(data))
    assert check_and_quarantine(path) is not None
    assert not path.exists()


def test_sqlite_path_of_urls(tmp_path: Path) -> None:
    assert sqlite_path(f"sqlite:///{tmp_path}/a.db") == tmp_path / "a.db"
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("postgresql://u@h/db") is None


async def test_hub_starts_on_a_fresh_file_with_a_notice(start_hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config_dir = tmp_path / "corrupt"
    config_dir.mkdir()
    (config_dir / "fieldhub.db").write_bytes(b"garbage" * 1000)
    hub = await start_hub({"configuration.yaml": "hub:\n  name: Test\n"}, config_dir=config_dir)
    notice = hub.notices.get(NOTICE_ID)
    assert notice is not None and "corrupt-" in notice.message
    assert any(p.name.startswith("fieldhub.db.corrupt-") for p in config_dir.iterdir())
