"""Pairing over the REST API against a simulated node's config server."""

from __future__ import annotations

from types import ModuleType

import aiohttp
from tank_helpers import TANK, TankHub

from hub.testing.network import free_port
from integrations.tank_node.const import CREDENTIAL_KIND

MAC = "a4:cf:12:0b:9e:01"
PAIR_URL = "{}/api/tank_node/pair"


def pair_body(node: object, **changes: object) -> dict[str, object]:
    body = {
        "host": "127.0.0.1",
        "port": node.port,  # type: ignore[attr-defined]
        "mac": MAC,
        "name": "Rain tank",
        "tank": TANK,
    }
    return {**body, **changes}


async def test_pair_registers_device_and_hands_credentials_to_node(
    tank_hub: TankHub, sim: ModuleType
) -> None:
    async with (
        sim.SimulatedNode(MAC, advertise=False) as node,
        aiohttp.ClientSession() as client,
    ):
        async with client.post(
            tank_hub.base_url + "/api/tank_node/pair", json=pair_body(node)
        ) as r:
            assert r.status == 201
            answer = await r.json()
        device = tank_hub.hub.device_registry.get(answer["device_id"])
        assert device is not None
        assert ("mac", MAC) in device.identifiers
        assert node.state.device_id == device.id
        assert node.state.hub_url == tank_hub.ws_url
        verified = tank_hub.hub.device_registry.verify_token(node.state.secret, CREDENTIAL_KIND)
        assert verified is not None and verified.id == device.id
        assert "sensor.rain_tank_level" in answer["entities"]
        async with client.get(f"http://127.0.0.1:{node.port}/info") as r:
            info = await r.json()
        assert info["paired"] is True
        assert "secret" not in info and node.state.secret not in await r.text()


async def test_second_pairing_of_the_same_mac_is_refused(
    tank_hub: TankHub, sim: ModuleType
) -> None:
    async with (
        sim.SimulatedNode(MAC, advertise=False) as node,
        aiohttp.ClientSession() as client,
    ):
        url = tank_hub.base_url + "/api/tank_node/pair"
        async with client.post(url, json=pair_body(node)) as r:
            assert r.status == 201
        async with client.post(url, json=pair_body(node, name="Again")) as r:
            assert r.status == 409
            assert (await r.json())["error"] == "already_paired"
    assert len(tank_hub.hub.device_registry.devices("tank_node")) == 1


async def test_node_paired_elsewhere_refuses_and_nothing_is_kept(
    tank_hub: TankHub, sim: ModuleType
) -> None:
    state = sim.NodeState(device_id="other", hub_url="ws://10.0.0.1/x", secret="s")
    async with (
        sim.SimulatedNode(MAC, advertise=False, state=state) as node,
        aiohttp.ClientSession() as client,
        client.post(tank_hub.base_url + "/api/tank_node/pair", json=pair_body(node)) as r,
    ):
        assert r.status == 409
        assert (await r.json())["error"] == "node_already_paired"
    assert tank_hub.hub.device_registry.get_by_identifier("mac", MAC) is None


async def test_unreachable_node_rolls_back_the_device(tank_hub: TankHub) -> None:
    body = {"host": "127.0.0.1", "port": free_port(), "mac": MAC, "name": "Gone", "tank": TANK}
    async with (
        aiohttp.ClientSession() as client,
        client.post(PAIR_URL.format(tank_hub.base_url), json=body) as r,
    ):
        assert r.status == 502
        assert (await r.json())["error"] == "node_unreachable"
    assert tank_hub.hub.device_registry.get_by_identifier("mac", MAC) is None


async def test_impossible_tank_is_refused_with_the_key_to_fix(tank_hub: TankHub) -> None:
    tank = {**TANK, "sensor_offset_mm": 1600}
    body = {"host": "127.0.0.1", "port": 80, "mac": MAC, "name": "Bad", "tank": tank}
    async with (
        aiohttp.ClientSession() as client,
        client.post(PAIR_URL.format(tank_hub.base_url), json=body) as r,
    ):
        assert r.status == 400
        answer = await r.json()
    assert answer["error"] == "invalid"
    assert answer["detail"].startswith("tank → sensor_offset_mm:")
    assert "offset_not_below_top" in answer["detail"]


async def test_routes_and_roles(tank_hub: TankHub) -> None:
    assert sorted(tank_hub.routes) == [
        ("GET", "/api/tank_node/discovered", "viewer"),
        ("GET", "/api/tank_node/ws", "device"),
        ("POST", "/api/setup/scan", "operator"),
        ("POST", "/api/tank_node/pair", "operator"),
    ]
