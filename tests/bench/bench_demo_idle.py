"""Idle hub with the demo configuration: start time and resident memory.

Run: .venv/bin/python tests/bench/bench_demo_idle.py
Copies config/ to a temporary directory, starts `hub run` on free ports, times the start
until the hub reports it is running, waits, then reads the process's RSS from /proc.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hub.testing.network import free_port

ROOT = Path(__file__).resolve().parents[2]
IDLE_SECONDS = 30


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config"
        config.mkdir()
        for source in (ROOT / "config").glob("*.yaml"):
            shutil.copy(source, config / source.name)
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "FIELDHUB_HTTP_PORT": str(free_port()),
            "FIELDHUB_MQTT_PORT": str(free_port()),
        }
        started = time.monotonic()
        with subprocess.Popen(
            [sys.executable, "-m", "hub.cli", "run", "-c", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        ) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                if "is running" in line:
                    break
            start_s = time.monotonic() - started
            time.sleep(IDLE_SECONDS)
            rss = rss_mb(proc.pid)
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=60)
        print(f"demo_start_seconds: {start_s:.2f}")
        print(f"demo_idle_rss_mb_after_{IDLE_SECONDS}s: {rss:.1f}")


if __name__ == "__main__":
    main()
