"""REST ``GET /api/states`` with 10,000 entities (budget: p95 ≤ 50 ms).

Run: .venv/bin/python tests/bench/bench_http.py
The hub and its HTTP server run in this process; the client runs in a second process so
that reading the responses does not share the server's loop. Two scenarios: no changes
between requests, and 1,000 of the 10,000 states changing before every request.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

import aiohttp

from hub.core.hub import Hub
from hub.http.component import start_http
from hub.http.config import CONFIG_SCHEMA
from hub.http.roles import Role
from hub.testing.network import free_port

ENTITIES = 10_000
REQUESTS = 200
CHURN = 1_000


def _client(url: str, token: str, requests: int, pipe: Connection) -> None:
    async def run() -> list[float]:
        timings = []
        headers = {"Authorization": f"Bearer {token}"}
        async with aiohttp.ClientSession(headers=headers) as session:
            for _ in range(requests):
                pipe.send("tick")
                pipe.recv()
                start = time.perf_counter()
                async with session.get(url) as response:
                    body = await response.read()
                timings.append(time.perf_counter() - start)
                assert response.status == 200 and body.count(b'"entity_id"') == ENTITIES
        return timings

    pipe.send(asyncio.run(run()))


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct))]


async def scenario(hub: Hub, url: str, token: str, churn: int) -> list[float]:
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=_client, args=(url, token, REQUESTS, child))
    process.start()
    loop = asyncio.get_running_loop()
    round_no = 0
    while True:
        message = await loop.run_in_executor(None, parent.recv)
        if message != "tick":
            break
        round_no += 1
        for i in range(churn):
            n = (round_no * churn + i) % ENTITIES
            hub.states.set(f"sensor.bench_{n}", str(round_no), {"unit_of_measurement": "°C"})
        parent.send("go")
    await loop.run_in_executor(None, process.join)
    timings: list[float] = message
    return timings


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hub = Hub(Path(tmp))
        await hub.start_core()
        hub.mark_started()
        for n in range(ENTITIES):
            hub.states.set(
                f"sensor.bench_{n}",
                str(n),
                {"unit_of_measurement": "°C", "friendly_name": f"Bench {n}"},
            )
        port = free_port()
        server = await start_http(
            hub,
            CONFIG_SCHEMA({"server_host": "127.0.0.1", "server_port": port}),
            password_rounds=4,
        )
        user = await server.auth.add_user("bench", Role.VIEWER, None)
        token = server.auth.issue_access_token(user).token
        url = f"http://127.0.0.1:{port}/api/states"
        print(f"GET /api/states, {ENTITIES} entities, {REQUESTS} requests per scenario")
        for label, churn in (("unchanged", 0), (f"{CHURN} changed per request", CHURN)):
            timings = await scenario(hub, url, token, churn)
            ms = [t * 1000 for t in timings]
            p95 = _percentile(ms, 0.95)
            print(
                f"  {label:28s} p50 {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms  "
                f"max {max(ms):6.1f} ms  (budget p95 ≤ 50 ms: {'ok' if p95 <= 50 else 'OVER'})"
            )
        await hub.stop()


if __name__ == "__main__":
    asyncio.run(main())
