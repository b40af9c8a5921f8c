"""Event bus and state machine throughput (issue 01 figures).

Run: .venv/bin/python tests/bench/bench_bus.py
Fire and dispatch are timed together; each figure is the best of five rounds.
"""

from __future__ import annotations

import asyncio
import platform
import time

from hub.core.bus import Event, EventBus
from hub.core.state import StateMachine
from hub.core.tasks import TaskTracker

N = 1_000_000


def bench_sync_listener() -> float:
    bus = EventBus(TaskTracker())
    count = 0

    def listener(event: Event) -> None:
        nonlocal count
        count += 1

    bus.listen("bench", listener)
    fire = bus.fire
    data = {"value": 1}
    start = time.perf_counter()
    for _ in range(N):
        fire("bench", data)
    elapsed = time.perf_counter() - start
    assert count == N
    return N / elapsed


async def bench_async_listener() -> float:
    bus = EventBus(TaskTracker())
    count = 0
    done = asyncio.Event()
    n = N // 4

    async def listener(event: Event) -> None:
        nonlocal count
        count += 1
        if count == n:
            done.set()

    bus.listen("bench", listener)
    fire = bus.fire
    data = {"value": 1}
    start = time.perf_counter()
    for _ in range(n):
        fire("bench", data)
    await done.wait()
    elapsed = time.perf_counter() - start
    return n / elapsed


def bench_state_writes() -> float:
    bus = EventBus(TaskTracker())
    states = StateMachine(bus)
    seen = 0

    def listener(event: Event) -> None:
        nonlocal seen
        seen += 1

    bus.listen("state_changed", listener)
    n = N // 2
    values = [str(i) for i in range(1000)]
    ids = [f"sensor.bench_{i}" for i in range(100)]
    attrs = {"unit_of_measurement": "°C", "friendly_name": "Bench"}
    set_state = states.set
    start = time.perf_counter()
    for i in range(n):
        set_state(ids[i % 100], values[i % 1000], attrs)
    elapsed = time.perf_counter() - start
    assert seen == n
    return n / elapsed


def main() -> None:
    print(f"machine: {platform.machine()} python {platform.python_version()}")
    sync = max(bench_sync_listener() for _ in range(5))
    print(f"bus_events_per_s_sync_listener: {sync:,.0f}")
    coro = max(asyncio.run(bench_async_listener()) for _ in range(5))
    print(f"bus_events_per_s_coroutine_listener: {coro:,.0f}")
    writes = max(bench_state_writes() for _ in range(5))
    print(f"state_writes_per_s_with_listener: {writes:,.0f}")


if __name__ == "__main__":
    main()
