"""Tank nodes at scale: 500 nodes, one reading per second each, for 60 s, on one hub.

Run: .venv/bin/python tests/bench/bench_tank_nodes.py [--nodes 500] [--seconds 60]
The hub (core, recorder, HTTP server, tank_node) runs in this process; the nodes run in four
worker processes, each a raw protocol client per node (identify, then one ``tank-update``
per second with the jittered start of a real fleet). Every node is a registered device with
its own credential. Figures: the hub process's CPU % (of one core) and peak RSS while the
nodes report, and the update → ack round trip (p50/p99) measured by the nodes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import statistics
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

import aiohttp
import psutil

import integrations.tank_node as tank_node
from hub.core.hub import Hub
from hub.http.component import start_http
from hub.http.config import CONFIG_SCHEMA as HTTP_SCHEMA
from hub.plugins.manifest import Manifest
from hub.recorder import component as recorder_component
from hub.testing.network import free_port
from integrations.tank_node.const import CREDENTIAL_KIND, DEVICE_DATA_TANK
from integrations.tank_node.schema import CONFIG_SCHEMA, TANK_SETTINGS_SCHEMA

WORKERS = 4
TANK = {"shape": "vertical_cylinder", "diameter_mm": 1000, "height_mm": 1500, "report_interval": 5}
MANIFEST = json.loads(
    (Path(tank_node.__file__).parent / "manifest.json").read_text(encoding="utf-8")
)


def _worker(url: str, nodes: list[tuple[str, str, str]], seconds: float, pipe: Connection) -> None:
    async def node(
        session: aiohttp.ClientSession, creds: tuple[str, str, str], rtts: list[float]
    ) -> int:
        device_id, token, mac = creds
        async with session.ws_connect(url) as ws:
            identify = {
                "type": "tank-identify",
                "v": 1,
                "device_id": device_id,
                "secret": token,
                "mac": mac,
                "model": "bench",
                "fw": "1.0.0",
                "boot": 1,
            }
            await ws.send_str(json.dumps(identify))
            await ws.receive(timeout=30)
            await asyncio.sleep(random.random())
            end = time.monotonic() + seconds
            seq = 0
            while time.monotonic() < end:
                seq += 1
                sent = time.monotonic()
                update = {
                    "type": "tank-update",
                    "v": 1,
                    "boot": 1,
                    "seq": seq,
                    "ts_ms": int(time.time() * 1000),
                    "distance_mm": 700 + seq % 50,
                    "quality": 100,
                }
                await ws.send_str(json.dumps(update))
                reply = await ws.receive(timeout=30)
                rtts.append(time.monotonic() - sent)
                assert '"ack"' in reply.data, reply
                await asyncio.sleep(max(0.0, sent + 1.0 - time.monotonic()))
            return seq

    async def main() -> None:
        rtts: list[float] = []
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            counts = await asyncio.gather(*(node(session, c, rtts) for c in nodes))
        pipe.send((sum(counts), rtts))

    asyncio.run(main())


async def bench(count: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hub = Hub(Path(tmp))
        await hub.start_core()
        await recorder_component.async_setup(hub, {})
        hub.plugins.register(tank_node, Manifest.from_dict(dict(MANIFEST), "manifest.json"))
        assert await hub.integrations.setup("tank_node", CONFIG_SCHEMA({}))
        creds = []
        for i in range(count):
            mac = f"02:00:00:00:{i >> 8:02x}:{i & 0xFF:02x}"
            device = await hub.device_registry.register(
                "tank_node",
                f"Tank {i}",
                [("mac", mac)],
                data={DEVICE_DATA_TANK: TANK_SETTINGS_SCHEMA(dict(TANK))},
            )
            credential = await hub.device_registry.issue_credential(device.id, CREDENTIAL_KIND)
            creds.append((device.id, credential.token, mac))
        await hub.integrations.unload("tank_node")
        assert await hub.integrations.setup("tank_node", CONFIG_SCHEMA({}))
        port = free_port()
        await start_http(hub, HTTP_SCHEMA({"server_host": "127.0.0.1", "server_port": port}))
        hub.mark_started()
        url = f"ws://127.0.0.1:{port}/api/tank_node/ws"
        ctx = multiprocessing.get_context("spawn")
        pipes, procs = [], []
        for w in range(WORKERS):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(url, creds[w::WORKERS], seconds, child))
            proc.start()
            pipes.append(parent)
            procs.append(proc)
        me = psutil.Process()
        await asyncio.sleep(5.0)  # connections and identifies settle
        cpu_start, wall_start = me.cpu_times(), time.monotonic()
        peak_rss = 0
        while time.monotonic() - wall_start < seconds - 7.0:
            await asyncio.sleep(1.0)
            peak_rss = max(peak_rss, me.memory_info().rss)
        cpu_end, wall = me.cpu_times(), time.monotonic() - wall_start
        loop = asyncio.get_running_loop()
        results = [await loop.run_in_executor(None, p.recv) for p in pipes]
        for proc in procs:
            await loop.run_in_executor(None, proc.join)
        used = (cpu_end.user + cpu_end.system) - (cpu_start.user + cpu_start.system)
        sent = sum(r[0] for r in results)
        rtts = sorted(x for r in results for x in r[1])
        q = statistics.quantiles(rtts, n=100)
        print(f"nodes {count}, {seconds:.0f} s, readings acked {sent} ({sent / seconds:.0f}/s)")
        print(f"hub CPU {100 * used / wall:.1f} % of one core, peak RSS {peak_rss / 2**20:.0f} MB")
        print(f"update→ack p50 {q[49] * 1000:.2f} ms, p99 {q[98] * 1000:.2f} ms")
        await hub.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    options = parser.parse_args()
    asyncio.run(bench(options.nodes, options.seconds))
