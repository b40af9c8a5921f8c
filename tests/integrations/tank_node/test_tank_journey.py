"""End to end on full hubs started from YAML: a simulated node advertises, is scanned, paired
and reports; the hub restarts and the node reconnects; readings buffered while offline are
replayed without loss or reordering; the node is removed and its credentials stop working."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp
import pytest_asyncio
from tank_helpers import TANK, eventually, local_mac

from hub.core.hub import Hub
from hub.http.component import HTTP_SERVER
from hub.http.roles import Role
from hub.recorder.recorder import RECORDER
from hub.testing.http import HubClient
from hub.testing.network import free_port
from integrations.tank_node.runtime import RUNTIME

MAC = local_mac(7)
START = float(int(time.time()) - 3600)
"""The node's clock: an hour ago (whole ms), so no reading is in the hub's future."""

CONFIG = """
http:
  server_host: 127.0.0.1
  server_port: {port}
discovery:
  interfaces: [127.0.0.1]
recorder:
  commit_interval: 0
tank_node: {{}}
"""

StartHub = Callable[..., Awaitable[Hub]]


async def api_client(hub: Hub, stack: AsyncExitStack) -> HubClient:
    """A client of a fully started hub with an operator, a viewer and an admin token."""
    server = hub.data[HTTP_SERVER]
    session = await stack.enter_async_context(aiohttp.ClientSession())
    client = HubClient(hub, server, session, f"http://127.0.0.1:{server.ports[0]}")
    for role in Role:
        user = await server.auth.add_user(f"{role.value}-{id(hub)}", role, None)
        client.tokens[role.value] = server.auth.issue_access_token(user).token
    return client


@pytest_asyncio.fixture
async def stack() -> AsyncIterator[AsyncExitStack]:
    async with AsyncExitStack() as exits:
        yield exits


class NodeClock:
    """The simulated node's wall clock, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


async def history(client: HubClient, entity_id: str) -> list[tuple[str, float]]:
    """``(state, last_updated)`` of the readings of an entity since START (REST history API);
    the ``unknown`` rows written when the entity is created are left out."""
    await client.hub.data[RECORDER].flush()
    since = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(START - 60))
    result = await client.request(
        "GET", f"/api/history/period/{since}?filter_entity_id={entity_id}", role="viewer"
    )
    assert result.status == 200, result.data
    rows = result.data[0] if result.data else []
    return [(row["state"], _ts(row["last_updated"])) for row in rows if row["state"] != "unknown"]


def percent(level_mm: float) -> str:
    """The level state of the 1.5 m test tank at ``level_mm``."""
    return repr(round(level_mm / 15, 3))


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


async def identify_with(url: str, frame: dict[str, Any]) -> list[int]:
    """Identify with ``frame`` on a fresh socket; the close codes announced and seen."""
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        await ws.send_str(json.dumps(frame))
        announced = json.loads((await ws.receive(timeout=5)).data)
        await ws.receive(timeout=5)
        return [announced["code"], ws.close_code or 0]


async def test_full_journey(
    start_hub: StartHub, sim: ModuleType, tmp_path: Path, stack: AsyncExitStack
) -> None:
    port = free_port()
    files = {"configuration.yaml": CONFIG.format(port=port)}
    config_dir = tmp_path / "journey"
    hub = await start_hub(files, config_dir=config_dir)
    client = await api_client(hub, stack)
    clock = NodeClock()
    node = sim.SimulatedNode(
        MAC,
        profile=sim.Profile(start_mm=900.0),
        interval_s=3600,
        backoff_base_ms=50,
        backoff_cap_ms=400,
        clock=clock,
    )
    await stack.enter_async_context(node)

    # discovery: the browser hands the advert over; an operator's scan lists it
    await eventually(lambda: hub.data[RUNTIME].discovered.get(MAC) is not None)
    scan = await client.request("POST", "/api/setup/scan", role="operator", json={"seconds": 1})
    assert [(n["mac"], n["status"]) for n in scan.data["nodes"]] == [(MAC, "unpaired")]

    # pairing as operator → identify → tank-config → first live reading
    body = {"host": "127.0.0.1", "port": node.port, "mac": MAC, "name": "Well", "tank": TANK}
    paired = await client.request("POST", "/api/tank_node/pair", role="operator", json=body)
    assert paired.status == 201, paired.data
    device_id = paired.data["device_id"]
    async with asyncio.timeout(10):
        await node.configured.wait()
        await node.wait_acked(1)
    assert node.interval_s == 5.0
    assert float(hub.states.get("sensor.well_level").state) == 60.0  # type: ignore[union-attr]
    assert hub.states.get("binary_sensor.well_online").state == "on"  # type: ignore[union-attr]
    await eventually(lambda: hub.data[RUNTIME].discovered.get(MAC).paired)  # type: ignore[union-attr]
    listed = await client.request("GET", "/api/tank_node/discovered", role="viewer")
    assert listed.data["nodes"][0]["status"] == "paired"
    assert await history(client, "sensor.well_level") == [("60.0", START)]

    # restart: a new hub object on the same directory and database; the node comes back
    # and, like after every tank-config, reports at once
    await hub.stop()
    clock.now, node.profile.start_mm = START + 10, 850.0
    hub = await start_hub(files, config_dir=config_dir)
    client = await api_client(hub, stack)
    async with asyncio.timeout(10):
        await node.wait_acked(2)
    assert hub.states.get("binary_sensor.well_online").state == "on"  # type: ignore[union-attr]
    assert hub.states.get("sensor.well_level").state == percent(850)  # type: ignore[union-attr]

    # offline: readings are buffered, then replayed in order and acknowledged
    await node.go_offline()
    await eventually(lambda: hub.states.get("binary_sensor.well_online").state == "off")  # type: ignore[union-attr]
    for step, mm in ((20, 800.0), (30, 750.0), (40, 700.0)):
        clock.now, node.profile.start_mm = START + step, mm
        node.measure()
    assert [r.seq for r in node.buffer] == [3, 4, 5]
    clock.now = START + 45
    node.go_online()
    async with asyncio.timeout(10):
        await node.wait_acked(6)
    await eventually(lambda: not node.buffer)
    level = hub.states.get("sensor.well_level")
    assert level is not None and level.state == percent(700)
    assert level.last_reported.timestamp() == START + 45

    # a reading measured before the live one (its time learnt late) goes to history only
    await node.go_offline()
    clock.now, node.profile.start_mm = START + 35, 600.0
    late = node.measure()
    clock.now, node.profile.start_mm = START + 50, 650.0
    node.go_online()
    async with asyncio.timeout(10):
        await node.wait_acked(late.seq + 1)
    level = hub.states.get("sensor.well_level")
    assert level is not None and level.state == percent(650)
    assert level.last_updated.timestamp() == START + 50
    assert await history(client, "sensor.well_level") == [
        ("60.0", START),
        (percent(850), START + 10),
        (percent(800), START + 20),
        (percent(750), START + 30),
        (percent(600), START + 35),
        (percent(700), START + 40),
        (percent(650), START + 50),
    ]

    # removal (admin): 4003, the node forgets and advertises paired=0, the hub sees it
    identify = json.loads(next(f for f in node.sent_frames if "tank-identify" in f))
    removed = await client.request("DELETE", f"/api/devices/{device_id}", role="admin")
    assert removed.status == 200
    await eventually(lambda: not node.state.paired)
    assert node.close_codes[-1] == 4003
    assert hub.states.get("sensor.well_level") is None
    await eventually(lambda: not hub.data[RUNTIME].discovered.get(MAC).paired)  # type: ignore[union-attr]
    listed = await client.request("GET", "/api/tank_node/discovered", role="viewer")
    assert listed.data["nodes"][0]["status"] == "unpaired"
    ws_url = f"ws://127.0.0.1:{port}/api/tank_node/ws"
    assert await identify_with(ws_url, identify) == [4001, 4001]
