"""Pairing over the hub's REST API (roles enforced) against a simulated node's config server."""

from __future__ import annotations

from types import ModuleType

import aiohttp
import pytest
from tank_helpers import TANK, TankHub

from hub.testing.network import free_port
from integrations.tank_node.const import CREDENTIAL_KIND

MAC = "a4:cf:12:0b:9e:01"
PAIR = "/api/tank_node/pair"


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
    async with sim.SimulatedNode(MAC, advertise=False) as node:
        result = await tank_hub.post(PAIR, pair_body(node))
        assert result.status == 201
        answer = result.data
        device = tank_hub.hub.device_registry.get(answer["device_id"])
        assert device is not None
        assert ("mac", MAC) in device.identifiers
        assert node.state.device_id == device.id
        assert node.state.hub_url == tank_hub.ws_url
        verified = tank_hub.hub.device_registry.verify_token(node.state.secret, CREDENTIAL_KIND)
        assert verified is not None and verified.id == device.id
        assert "sensor.rain_tank_level" in answer["entities"]
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"http://127.0.0.1:{node.port}/info") as r,
        ):
            info = await r.json()
            assert info["paired"] is True
            assert "secret" not in info and node.state.secret not in await r.text()


async def test_second_pairing_of_the_same_mac_is_refused(
    tank_hub: TankHub, sim: ModuleType
) -> None:
    async with sim.SimulatedNode(MAC, advertise=False) as node:
        assert (await tank_hub.post(PAIR, pair_body(node))).status == 201
        again = await tank_hub.post(PAIR, pair_body(node, name="Again"))
        assert again.status == 409
        assert again.data["error"] == "already_paired"
    assert len(tank_hub.hub.device_registry.devices("tank_node")) == 1


async def test_node_paired_elsewhere_refuses_and_nothing_is_kept(
    tank_hub: TankHub, sim: ModuleType
) -> None:
    state = sim.NodeState(device_id="other", hub_url="ws://10.0.0.1/x", secret="s")
    async with sim.SimulatedNode(MAC, advertise=False, state=state) as node:
        result = await tank_hub.post(PAIR, pair_body(node))
    assert result.status == 409
    assert result.data["error"] == "node_already_paired"
    assert tank_hub.hub.device_registry.get_by_identifier("mac", MAC) is None


async def test_unreachable_node_rolls_back_the_device(tank_hub: TankHub) -> None:
    body = {"host": "127.0.0.1", "port": free_port(), "mac": MAC, "name": "Gone", "tank": TANK}
    result = await tank_hub.post(PAIR, body)
    assert result.status == 502
    assert result.data["error"] == "node_unreachable"
    assert tank_hub.hub.device_registry.get_by_identifier("mac", MAC) is None


async def test_impossible_tank_is_refused_with_the_key_to_fix(tank_hub: TankHub) -> None:
    tank = {**TANK, "sensor_offset_mm": 1600}
    body = {"host": "127.0.0.1", "port": 80, "mac": MAC, "name": "Bad", "tank": tank}
    result = await tank_hub.post(PAIR, body)
    assert result.status == 400
    assert result.data["error"] == "invalid"
    assert result.data["detail"].startswith("tank → sensor_offset_mm:")
    assert "offset_not_below_top" in result.data["detail"]


@pytest.mark.parametrize(
    ("method", "path", "role", "status"),
    [
        ("POST", PAIR, None, 401),
        ("POST", PAIR, "viewer", 403),
        ("POST", "/api/setup/scan", "viewer", 403),
        ("POST", "/api/setup/scan", None, 401),
        ("GET", "/api/tank_node/discovered", None, 401),
        ("GET", "/api/tank_node/discovered", "viewer", 200),
        ("POST", PAIR, "operator", 400),
        ("POST", PAIR, "admin", 400),
    ],
)
async def test_roles_are_enforced_by_the_http_server(
    tank_hub: TankHub, method: str, path: str, role: str | None, status: int
) -> None:
    body: dict[str, object] | None = {} if method == "POST" and path == PAIR else None
    result = await tank_hub.client.request(method, path, role=role, json=body)
    assert result.status == status
    assert tank_hub.hub.device_registry.devices("tank_node") == []


async def test_operator_can_scan(tank_hub: TankHub) -> None:
    result = await tank_hub.post("/api/setup/scan", {"seconds": 0.5})
    assert result.status == 200
    assert result.data == {"nodes": []}


async def test_the_node_websocket_needs_no_user_token(tank_hub: TankHub) -> None:
    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(tank_hub.ws_url) as ws,
    ):
        await ws.send_str("{}")
        frame = await ws.receive(timeout=5)
        assert frame.type is aiohttp.WSMsgType.TEXT
        assert '"code":4008' in frame.data
