"""Alert latency and flood figures (issue 05).

Run: .venv/bin/python tests/bench/bench_alerts.py

1. Latency: from the state write that crosses a limit to the call of the alert's notify
   service, over many activations (each also writes its occurrence and audit to SQLite in
   the background). Budget: p99 <= 50 ms.
2. Flood: many alerts crossing their limits at once; how long until every notification went
   out and every change was committed, the rate that implies per 10 minutes, and the KPI
   report over the stored flood (peak per 10 min, flood periods) with its query time.
"""

from __future__ import annotations

import asyncio
import platform
import statistics
import tempfile
import time
from pathlib import Path

from hub.alerts.component import CONFIG_SCHEMA, async_setup
from hub.alerts.manager import ALERTS
from hub.core.hub import Hub
from hub.core.services import ServiceCall

ROUNDS = 2000
FLOOD = 500
BUDGET_P99_MS = 50.0


async def start(config_dir: Path, alerts: dict[str, dict[str, object]]) -> Hub:
    hub = Hub(config_dir)
    await hub.start_core()
    await async_setup(hub, CONFIG_SCHEMA(alerts))
    hub.mark_started()
    return hub


async def bench_latency(config_dir: Path) -> list[float]:
    config = {
        "tank_high": {
            "entity_id": "sensor.tank",
            "above": 90,
            "deadband": 1,
            "repeat": 60,
            "message": "Tank at {{ value }}",
            "notifiers": ["bench"],
        }
    }
    hub = await start(config_dir, config)
    waiter: asyncio.Future[float] | None = None

    def notified(_call: ServiceCall) -> None:
        if waiter is not None and not waiter.done():
            waiter.set_result(time.perf_counter())

    hub.services.register("notify", "bench", notified)
    latencies: list[float] = []
    loop = asyncio.get_running_loop()
    try:
        for _ in range(ROUNDS):
            waiter = loop.create_future()
            begin = time.perf_counter()
            hub.states.set("sensor.tank", "95")
            latencies.append((await waiter) - begin)
            hub.states.set("sensor.tank", "50")
            await asyncio.sleep(0)
        await hub.data[ALERTS].store.flush()
    finally:
        await hub.stop()
    return latencies


async def bench_flood(config_dir: Path) -> dict[str, float]:
    config = {
        f"level_{i}": {
            "entity_id": f"sensor.level_{i}",
            "below": 10,
            "repeat": 30,
            "severity": ("critical", "warning", "info")[i % 3],
            "notifiers": ["bench"],
        }
        for i in range(FLOOD)
    }
    hub = await start(config_dir, config)
    sent = 0
    all_sent = asyncio.Event()

    def notified(_call: ServiceCall) -> None:
        nonlocal sent
        sent += 1
        if sent == FLOOD:
            all_sent.set()

    hub.services.register("notify", "bench", notified)
    manager = hub.data[ALERTS]
    try:
        begin_wall = time.time()
        begin = time.perf_counter()
        for i in range(FLOOD):
            hub.states.set(f"sensor.level_{i}", "3")
        dispatched = time.perf_counter() - begin
        await all_sent.wait()
        notified_s = time.perf_counter() - begin
        await manager.store.flush()
        committed_s = time.perf_counter() - begin
        query = time.perf_counter()
        report = await manager.kpi(begin_wall - 60, begin_wall + 600)
        kpi_s = time.perf_counter() - query
    finally:
        await hub.stop()
    return {
        "dispatched_s": dispatched,
        "notified_s": notified_s,
        "committed_s": committed_s,
        "kpi_s": kpi_s,
        "kpi_total": report.total,
        "kpi_peak_10min": report.rates.peak_10min,
        "kpi_floods": len(report.floods),
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def main() -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        latency_dir = Path(tmp) / "latency"
        flood_dir = Path(tmp) / "flood"
        latency_dir.mkdir()
        flood_dir.mkdir()
        latencies = [s * 1000 for s in await bench_latency(latency_dir)]
        p99 = percentile(latencies, 99)
        verdict = "OK" if p99 <= BUDGET_P99_MS else "OVER BUDGET"
        print(
            f"threshold crossing -> notify call, {ROUNDS} activations: "
            f"p50 {statistics.median(latencies):.3f} ms, p99 {p99:.3f} ms, "
            f"max {max(latencies):.3f} ms (budget p99 <= {BUDGET_P99_MS:g} ms: {verdict})"
        )
        flood = await bench_flood(flood_dir)
        rate_10min = FLOOD / flood["committed_s"] * 600
        print(
            f"flood of {FLOOD} alerts: dispatched in {flood['dispatched_s'] * 1000:.1f} ms, "
            f"all notified in {flood['notified_s'] * 1000:.1f} ms, "
            f"all committed in {flood['committed_s'] * 1000:.1f} ms "
            f"(capacity ~{rate_10min:,.0f} alerts per 10 min)"
        )
        print(
            f"KPI over the flood: {flood['kpi_total']:.0f} alarms, "
            f"peak {flood['kpi_peak_10min']:.0f} per 10 min, "
            f"{flood['kpi_floods']:.0f} flood period(s) (> 10 per 10 min), "
            f"report in {flood['kpi_s'] * 1000:.1f} ms"
        )


if __name__ == "__main__":
    asyncio.run(main())
