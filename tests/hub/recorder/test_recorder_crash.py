"""SIGKILL of a hub mid-stream loses at most the uncommitted tail and never corrupts."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

WRITER = Path(__file__).with_name("recorder_crash_writer.py")


@pytest.mark.slow
def test_kill_9_keeps_every_committed_row(tmp_path: Path) -> None:
    (tmp_path / "configuration.yaml").write_text("recorder:\n  commit_interval: 0.2\n")
    committed = produced = 0
    with subprocess.Popen(
        [sys.executable, str(WRITER), str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            for line in process.stdout:
                committed, produced = (int(part) for part in line.split())
                if committed >= 5_000:
                    break
            os.kill(process.pid, signal.SIGKILL)
        finally:
            process.kill()
            process.wait(timeout=30)
    assert committed >= 5_000

    connection = sqlite3.connect(tmp_path / "fieldhub.db")
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        values = [
            int(row[0]) for row in connection.execute("SELECT state FROM states ORDER BY state_id")
        ]
    finally:
        connection.close()
    assert values == list(range(len(values)))  # a gap-free prefix of what was written
    assert len(values) >= committed
    assert len(values) <= produced + 50 * 20
