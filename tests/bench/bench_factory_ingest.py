"""Benchmarks of the factory machine integration.

1. HTTP ingest: 200 machines, each posting batches of 100 readings (temperature, run state,
   part counter) over keep-alive connections to ``POST /api/ingest``; readings/s accepted
   (budget >= 20,000/s).
2. Report generation for 50 machines x 30 days of 1 Hz data. The tracker folds 1 Hz readings
   into per-minute counts, state intervals and hourly sensor aggregates before anything
   reaches the database, so the bench writes exactly those rows (what 130 million readings
   leave behind) instead of pushing them through HTTP, then times the JSON, CSV and PDF
   reports over the month.

Run with ``.venv/bin/python tests/bench/bench_factory_ingest.py``; prints one figure per line.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import aiohttp

import integrations.factory_machine as factory_machine
from hub.core.hub import Hub
from hub.core.services_core import register_core_services
from hub.http.component import start_http
from hub.http.config import CONFIG_SCHEMA as HTTP_SCHEMA
from hub.testing.network import free_port
from integrations.factory_machine.report_views import render
from integrations.factory_machine.reports import ReportRange, build_report
from integrations.factory_machine.runtime import RUNTIME
from integrations.factory_machine.schema import CONFIG_SCHEMA
from integrations.factory_machine.store import Pending, SensorBucket, write_pending

MANIFEST = json.loads(
    (Path(__file__).resolve().parents[2] / "integrations/factory_machine/manifest.json").read_text()
)
INGEST_MACHINES = 200
BATCH = 100
ROUNDS = 25
REPORT_MACHINES = 50
REPORT_DAYS = 30
MONTH_START = 1_746_057_600.0  # 2025-05-01T00:00:00Z


def machines_config(count: int) -> dict[str, Any]:
    machine = {
        "ideal_cycle_time": 1,
        "reporting_interval": 1,
        "sensors": [{"name": "temperature", "valid_range": [-40, 400], "expected_range": [0, 80]}],
        "schedule": {"shifts": [{"name": "day", "start": "06:00", "end": "22:00"}]},
    }
    return {
        "ingest": {"rate": 1_000_000, "burst": 1_000_000, "max_clock_skew": 1e9},
        "sites": {
            "site1": {"areas": {"a": {"machines": {f"m{n}": machine for n in range(count)}}}}
        },
    }


async def start(config_dir: Path, count: int) -> tuple[Hub, str]:
    hub = Hub(config_dir)
    await hub.start_core()
    register_core_services(hub)
    hub.mark_started()
    hub.plugins.register(factory_machine, factory_machine_manifest())
    assert await hub.integrations.setup("factory_machine", CONFIG_SCHEMA(machines_config(count)))
    port = free_port()
    await start_http(hub, HTTP_SCHEMA({"server_host": "127.0.0.1", "server_port": port}))
    return hub, f"http://127.0.0.1:{port}"


def factory_machine_manifest() -> Any:
    from hub.api import Manifest

    return Manifest.from_dict(MANIFEST, "manifest.json")


async def bench_ingest() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hub, url = await start(Path(tmp), INGEST_MACHINES)
        runtime = hub.data[RUNTIME]
        assert runtime is not None
        tokens = [
            (await runtime.keys.create(f"site1/a/m{n}")).token for n in range(INGEST_MACHINES)
        ]
        connector = aiohttp.TCPConnector(limit=INGEST_MACHINES)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def machine(index: int, token: str) -> int:
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
                accepted = 0
                base = 1_748_952_000_000
                for batch in range(ROUNDS):
                    readings = [
                        {
                            "ts": base + (batch * BATCH + i) * 1000,
                            "values": {
                                "temperature": 60.0 + (i % 7),
                                "run_state": "running",
                                "total": batch * BATCH + i,
                            },
                        }
                        for i in range(BATCH)
                    ]
                    body = json.dumps({"readings": readings}).encode()
                    async with session.post(url + "/api/ingest", data=body, headers=headers) as r:
                        data = await r.json()
                        assert r.status == 200, data
                        accepted += data["accepted"]
                return accepted

            started = time.perf_counter()
            counts = await asyncio.gather(*(machine(n, token) for n, token in enumerate(tokens)))
            elapsed = time.perf_counter() - started
        total = sum(counts)
        flush_started = time.perf_counter()
        await runtime.flush()
        flush = time.perf_counter() - flush_started
        print(f"ingest machines: {INGEST_MACHINES}, batch {BATCH}, readings {total}")
        print(f"ingest readings/s over HTTP: {total / elapsed:,.0f} (budget >= 20,000)")
        print(f"ingest final flush to SQL: {flush * 1000:.0f} ms")
        await hub.stop()


def month_rows(machine: str) -> Pending:
    """The rows 30 days of 1 Hz readings leave: counts per minute, intervals, sensor hours."""
    pending = Pending.empty()
    for minute in range(REPORT_DAYS * 1440):
        ts = MONTH_START + minute * 60
        running = (minute % 60) < 52  # an 8-minute stop every hour
        if running:
            pending.counts[(machine, ts)] = [55, 1 if minute % 20 == 0 else 0]
    for hour in range(REPORT_DAYS * 24):
        start = MONTH_START + hour * 3600
        pending.intervals[(machine, start)] = (start + 52 * 60, 10_000)
        pending.intervals[(machine, start + 52 * 60)] = (start + 3600, 180_000)
        for sensor in ("", "temperature"):
            bucket = SensorBucket(3600, 3600 * 61.0, 55.0, 85.0 if hour % 50 == 0 else 70.0, 0)
            pending.sensors[(machine, sensor, start)] = bucket
    return pending


async def bench_report() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hub, _url = await start(Path(tmp), REPORT_MACHINES)
        runtime = hub.data[RUNTIME]
        assert runtime is not None
        started = time.perf_counter()
        for n in range(REPORT_MACHINES):
            pending = month_rows(f"site1/a/m{n}")
            await hub.db.run(lambda session, p=pending: write_pending(session, p))
        print(
            f"report data build (50 machines x 30 days, rows as 1 Hz leaves them): "
            f"{time.perf_counter() - started:.1f} s"
        )
        machines = runtime.registry.machines()
        span = ReportRange(date(2025, 5, 1), date(2025, 5, 30))
        started = time.perf_counter()
        report = await build_report(hub, runtime, "monthly", "site1", machines, span)
        built = time.perf_counter() - started
        print(
            f"report monthly data (50 machines, 30 days): {built:.2f} s, "
            f"OEE {report.kpis['oee_pct'] if report.kpis else None} %"
        )
        for fmt in ("json", "csv", "pdf"):
            started = time.perf_counter()
            body = await hub.run_in_executor(render, report, fmt)
            print(
                f"report render {fmt}: {(time.perf_counter() - started) * 1000:.0f} ms, "
                f"{len(body) / 1024:.0f} KiB"
            )
        await hub.stop()


def main() -> None:
    asyncio.run(bench_ingest())
    asyncio.run(bench_report())


if __name__ == "__main__":
    main()
