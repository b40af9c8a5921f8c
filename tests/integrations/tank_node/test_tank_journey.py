"""End to end: a simulated node advertises, is scanned, paired, reports, goes offline,
replays its buffer, and is removed."""

from __future__ import annotations

import asyncio
from types import ModuleType

import aiohttp
from tank_helpers import TANK, TankHub, eventually

from hub.discovery import component as discovery
from integrations.tank_node.runtime import RUNTIME

MAC = "02:00:00:00:00:07"


async def test_scan_pair_report_replay_remove(tank_hub: TankHub, sim: ModuleType) -> None:
    hub = tank_hub.hub
    await discovery.async_setup(hub, {"interfaces": ["127.0.0.1"]})
    profile = sim.Profile(start_mm=900.0, rate_mm_per_h=0.0)
    node = sim.SimulatedNode(MAC, profile=profile, interval_s=3600, backoff_base_ms=50)
    async with node, aiohttp.ClientSession() as client:
        # the browser dispatches the advertisement to tank_node
        runtime = hub.data[RUNTIME]
        await eventually(lambda: runtime.discovered.get(MAC) is not None)
        async with client.post(tank_hub.base_url + "/api/setup/scan", json={"seconds": 1}) as r:
            nodes = (await r.json())["nodes"]
        assert [(n["mac"], n["status"], n["port"]) for n in nodes] == [(MAC, "unpaired", node.port)]

        body = {"host": "127.0.0.1", "port": node.port, "mac": MAC, "name": "Well", "tank": TANK}
        async with client.post(tank_hub.base_url + "/api/tank_node/pair", json=body) as r:
            assert r.status == 201
            device_id = (await r.json())["device_id"]

        # identify → config → first live reading → entities
        async with asyncio.timeout(10):
            await node.configured.wait()
            await node.wait_acked(1)
        level = hub.states.get("sensor.well_level")
        assert level is not None and float(level.state) == 60.0
        assert hub.states.get("binary_sensor.well_online").state == "on"  # type: ignore[union-attr]
        await eventually(lambda: (runtime.discovered.get(MAC) or node).paired)  # type: ignore[union-attr]
        async with client.get(tank_hub.base_url + "/api/tank_node/discovered") as r:
            assert (await r.json())["nodes"][0]["status"] == "paired"

        # offline: readings are buffered, then replayed and acknowledged on reconnect
        await node.go_offline()
        await eventually(lambda: hub.states.get("binary_sensor.well_online").state == "off")  # type: ignore[union-attr]
        node.profile.start_mm = 750.0
        replayed = [node.measure() for _ in range(3)]
        assert len(node.buffer) == 3
        node.go_online()
        async with asyncio.timeout(10):
            await node.wait_acked(replayed[-1].seq)
        await eventually(lambda: not node.buffer)
        assert float(hub.states.get("sensor.well_level").state) == 50.0  # type: ignore[union-attr]

        # removal: the node is told (4003), forgets its pairing, and advertises paired=0
        await hub.device_registry.remove(device_id)
        await eventually(lambda: not node.state.paired)
        assert 4003 in node.close_codes
        assert node.txt()["paired"] == "0"
        assert hub.states.get("sensor.well_level") is None
