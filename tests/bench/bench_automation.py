"""Automation engine figures (issue 05): numeric_state throughput and trigger-to-action latency.

Run: .venv/bin/python tests/bench/bench_automation.py

1,000 automations, each a ``numeric_state`` trigger (``above: 50``) on its own sensor with a
service call as action. Figures:

* state changes per second written to the state machine and evaluated by every trigger
  (readings that stay below the threshold, so nothing fires; best of five rounds), next to
  the same writes with no automations loaded;
* the time from writing a reading that crosses the threshold to the service handler
  running, over 2,000 crossings (p50 / p99).
"""

from __future__ import annotations

import asyncio
import platform
import statistics
import tempfile
import time
from pathlib import Path

from hub.automation.component import CONFIG_SCHEMA, async_setup
from hub.core.hub import Hub
from hub.core.services import ServiceCall

SENSORS = 1_000
WRITES = 200_000
CROSSINGS = 2_000


def automations_yaml() -> list[dict[str, object]]:
    return [
        {
            "id": f"high_{index}",
            "trigger": {"platform": "numeric_state", "entity_id": f"sensor.s{index}", "above": 50},
            "action": {"service": "bench.notify", "data": {"sensor": "{{ trigger.entity_id }}"}},
        }
        for index in range(SENSORS)
    ]


def write_rate(hub: Hub) -> float:
    """Writes per second of below-threshold readings, round-robin over the sensors."""
    set_state = hub.states.set
    ids = [f"sensor.s{index}" for index in range(SENSORS)]
    values = [str(10 + index % 30) for index in range(97)]
    best = 0.0
    for _ in range(5):
        start = time.perf_counter()
        for n in range(WRITES):
            set_state(ids[n % SENSORS], values[n % 97])
        best = max(best, WRITES / (time.perf_counter() - start))
    return best


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hub = Hub(Path(tmp))
        await hub.start_core()
        for index in range(SENSORS):
            hub.states.set(f"sensor.s{index}", "0")
        baseline = write_rate(hub)

        handled = asyncio.Event()
        handled_at = 0.0

        def notify(_call: ServiceCall) -> None:
            nonlocal handled_at
            handled_at = time.perf_counter()
            handled.set()

        hub.services.register("bench", "notify", notify)
        configs = CONFIG_SCHEMA(automations_yaml())
        await async_setup(hub, configs)
        hub.mark_started()
        with_automations = write_rate(hub)

        latencies = []
        for n in range(CROSSINGS):
            entity_id = f"sensor.s{n % SENSORS}"
            hub.states.set(entity_id, "10")
            handled.clear()
            start = time.perf_counter()
            hub.states.set(entity_id, "60")
            await handled.wait()
            latencies.append((handled_at - start) * 1000)
            await asyncio.sleep(0)  # let the run finish before the next crossing
        await hub.stop()

    quantiles = statistics.quantiles(latencies, n=100)
    print(f"python {platform.python_version()} on {platform.machine()}")
    print(f"{SENSORS} numeric_state automations on {SENSORS} sensors")
    print(f"state writes/s, no automations:     {baseline:>12,.0f}")
    print(f"state writes/s, 1,000 automations:  {with_automations:>12,.0f}  (budget >= 100,000)")
    print(
        f"crossing -> service call latency:    p50 {quantiles[49]:.3f} ms, "
        f"p99 {quantiles[98]:.3f} ms, max {max(latencies):.3f} ms ({CROSSINGS} crossings)"
    )


if __name__ == "__main__":
    asyncio.run(main())
