"""Settings pushed to connected nodes (``tank_node.set_config``), the 4009 flood limit, and
the ``hub sim tank-node`` command."""

from __future__ import annotations

import argparse
import asyncio
import json
from types import ModuleType

import aiohttp
import pytest
from tank_helpers import TANK, TankHub, eventually, local_mac

from hub.core.errors import ServiceValidationError
from integrations.tank_node import cli
from integrations.tank_node.const import RATE_LIMIT_BURST
from integrations.tank_node.ratelimit import TokenBucket
from integrations.tank_node.runtime import RUNTIME

PAIR = "/api/tank_node/pair"


async def paired_node(tank_hub: TankHub, sim: ModuleType, index: int) -> tuple[object, str]:
    node = sim.SimulatedNode(local_mac(index), advertise=False, interval_s=3600)
    await node.start()
    body = {"host": "127.0.0.1", "port": node.port, "mac": node.mac, "name": "Cistern"}
    result = await tank_hub.post(PAIR, {**body, "tank": TANK})
    assert result.status == 201, result.data
    async with asyncio.timeout(10):
        await node.configured.wait()
    return node, result.data["device_id"]


async def test_set_config_stores_and_pushes_a_new_tank_config(
    tank_hub: TankHub, sim: ModuleType
) -> None:
    node, device_id = await paired_node(tank_hub, sim, 1)
    try:
        hub = tank_hub.hub
        await hub.services.call(
            "tank_node", "set_config", {"device_id": device_id, "height_mm": 2000}
        )
        await eventually(lambda: node.tank.height_mm == 2000)  # type: ignore[attr-defined]
        stored = hub.device_registry.get(device_id).data["tank"]  # type: ignore[union-attr]
        assert stored["height_mm"] == 2000 and stored["diameter_mm"] == 1000
        with pytest.raises(ServiceValidationError, match="sensor_offset_mm"):
            await hub.services.call(
                "tank_node", "set_config", {"device_id": device_id, "sensor_offset_mm": 2500}
            )
        with pytest.raises(ServiceValidationError, match="not a paired tank node"):
            await hub.services.call("tank_node", "set_config", {"device_id": "nope"})
    finally:
        await node.stop()  # type: ignore[attr-defined]


async def test_yaml_tanks_are_edited_in_yaml(tank_hub_factory: object, sim: ModuleType) -> None:
    mac = local_mac(2)
    tank_hub: TankHub = await tank_hub_factory(  # type: ignore[operator]
        {"tanks": [{"mac": mac, "name": "Yard", **TANK}]}
    )
    node = sim.SimulatedNode(mac, advertise=False, interval_s=3600)
    async with node:
        body = {"host": "127.0.0.1", "port": node.port, "mac": mac, "name": "Yard", "tank": TANK}
        device_id = (await tank_hub.post(PAIR, body)).data["device_id"]
        with pytest.raises(ServiceValidationError, match="hub reload tank_node"):
            await tank_hub.hub.services.call(
                "tank_node", "set_config", {"device_id": device_id, "height_mm": 2000}
            )


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    bucket = TokenBucket(rate=10.0, burst=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(0.1) and not bucket.take(0.1)
    assert [bucket.take(10.0) for _ in range(4)] == [True, True, True, False]


async def test_a_flood_of_updates_is_closed_with_4009(tank_hub: TankHub, sim: ModuleType) -> None:
    node, device_id = await paired_node(tank_hub, sim, 3)
    await node.stop()  # type: ignore[attr-defined]
    sessions = tank_hub.hub.data[RUNTIME].sessions
    identify = json.loads(next(f for f in node.sent_frames if "tank-identify" in f))  # type: ignore[attr-defined]
    codes: list[int] = []
    async with aiohttp.ClientSession() as client, client.ws_connect(tank_hub.ws_url) as ws:
        await ws.send_str(json.dumps(identify))
        await ws.receive(timeout=5)
        for seq in range(1, RATE_LIMIT_BURST + 100):
            frame = {"type": "tank-update", "v": 1, "boot": 9, "seq": seq, "ts_ms": 0}
            await ws.send_str(json.dumps({**frame, "distance_mm": 700, "quality": 90}))
        async for message in ws:
            if message.type is aiohttp.WSMsgType.TEXT and '"close"' in message.data:
                codes.append(json.loads(message.data)["code"])
        codes.append(ws.close_code or 0)
    assert codes == [4009, 4009]
    assert sessions.rate_limited == 1
    tank = sessions.tank(device_id)
    highest = None if tank is None else tank.highest
    assert highest is not None and RATE_LIMIT_BURST <= highest[1] < RATE_LIMIT_BURST + 99


def online(tank_hub: TankHub) -> int:
    sessions = tank_hub.hub.data[RUNTIME].sessions
    return sum(sessions.is_online(d.id) for d in tank_hub.hub.device_registry.devices("tank_node"))


async def test_cli_sim_command_runs_and_pairs_nodes(tank_hub: TankHub) -> None:
    parser = argparse.ArgumentParser()
    cli.configure(parser)
    args = parser.parse_args(
        [
            "--count",
            "2",
            "--interval",
            "5",
            "--hub",
            tank_hub.base_url,
            "--token",
            tank_hub.client.tokens["operator"],
        ]
    )
    task = asyncio.create_task(cli.run(args))
    hub = tank_hub.hub
    try:
        await eventually(lambda: online(tank_hub) == 2, 15)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert len(hub.device_registry.devices("tank_node")) == 2
