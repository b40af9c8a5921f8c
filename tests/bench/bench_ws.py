"""State change → WebSocket client latency: 100 ``subscribe_entities`` clients, 5,000 changes/s.

Run: .venv/bin/python tests/bench/bench_ws.py
The hub writes 5,000 state changes per second over 1,000 entities for ten seconds. The 100
clients run in a second process; ten of them parse every message and record, per entity,
``receive time − last_updated`` (both wall-clock on this machine), the other 90 only read
their messages, so that one client process can keep up with all of them as 100 browsers
would. Budget: p99 ≤ 100 ms.
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
import orjson

from hub.core.hub import Hub
from hub.http.component import start_http
from hub.http.config import CONFIG_SCHEMA
from hub.http.roles import Role
from hub.testing.network import free_port

CLIENTS = 100
MEASURED = 10
ENTITIES = 1_000
RATE = 5_000
SECONDS = 10.0
TICK = 0.01


def _clients(url: str, token: str, pipe: Connection) -> None:
    async def client(
        session: aiohttp.ClientSession,
        ready: asyncio.Event,
        latencies: list[float] | None,
        stop: asyncio.Event,
    ) -> int:
        async with session.ws_connect(url, max_msg_size=0) as ws:
            await ws.receive_json()
            await ws.send_json({"type": "auth", "access_token": token})
            assert (await ws.receive_json())["type"] == "auth_ok"
            await ws.send_json({"id": 1, "type": "subscribe_entities"})
            await ws.receive_json()
            await ws.receive_json()
            ready.set()
            received = 0
            while not stop.is_set():
                try:
                    message = await ws.receive(timeout=0.5)
                except TimeoutError:
                    continue
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                if latencies is None:
                    received += 1
                    continue
                now = time.time()
                changed = orjson.loads(message.data)["event"].get("c", {})
                latencies.extend([now - diff["+"]["lu"] for diff in changed.values()])
                received += 1
            return received

    async def run() -> tuple[list[float], int]:
        latencies: list[float] = []
        stop = asyncio.Event()
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            readies = [asyncio.Event() for _ in range(CLIENTS)]
            tasks = [
                asyncio.create_task(client(session, r, latencies if i < MEASURED else None, stop))
                for i, r in enumerate(readies)
            ]
            await asyncio.gather(*(r.wait() for r in readies))
            pipe.send("ready")
            await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
            stop.set()
            counts = await asyncio.gather(*tasks)
        return latencies, sum(counts)

    pipe.send(asyncio.run(run()))


async def drive(hub: Hub) -> int:
    per_tick = int(RATE * TICK)
    loop = asyncio.get_running_loop()
    start = loop.time()
    written = 0
    tick = 0
    while loop.time() - start < SECONDS:
        for _ in range(per_tick):
            hub.states.set(f"sensor.bench_{written % ENTITIES}", str(written))
            written += 1
        tick += 1
        await asyncio.sleep(max(0.0, start + tick * TICK - loop.time()))
    return written


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hub = Hub(Path(tmp))
        await hub.start_core()
        hub.mark_started()
        for n in range(ENTITIES):
            hub.states.set(f"sensor.bench_{n}", "0")
        port = free_port()
        server = await start_http(
            hub,
            CONFIG_SCHEMA({"server_host": "127.0.0.1", "server_port": port}),
            password_rounds=4,
        )
        user = await server.auth.add_user("bench", Role.VIEWER, None)
        token = server.auth.issue_access_token(user).token
        parent, child = multiprocessing.Pipe()
        process = multiprocessing.Process(
            target=_clients, args=(f"http://127.0.0.1:{port}/api/websocket", token, child)
        )
        process.start()
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(None, parent.recv) == "ready"
        started = time.perf_counter()
        written = await drive(hub)
        elapsed = time.perf_counter() - started
        await asyncio.sleep(0.5)
        parent.send("stop")
        latencies, received = await loop.run_in_executor(None, parent.recv)
        await loop.run_in_executor(None, process.join)
        await hub.stop()
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[int(len(ms) * 0.99)]
    print(
        f"{CLIENTS} clients, {written} state changes in {elapsed:.1f} s "
        f"({written / elapsed:,.0f}/s over {ENTITIES} entities)"
    )
    print(
        f"  {received:,} messages delivered; {MEASURED} clients measured {len(ms):,} entity "
        f"updates (coalesced per 25 ms window), {CLIENTS - MEASURED} more only read"
    )
    print(
        f"  latency p50 {statistics.median(ms):6.1f} ms  p99 {p99:6.1f} ms  max {ms[-1]:6.1f} ms"
        f"  (budget p99 ≤ 100 ms: {'ok' if p99 <= 100 else 'OVER'})"
    )


if __name__ == "__main__":
    asyncio.run(main())
