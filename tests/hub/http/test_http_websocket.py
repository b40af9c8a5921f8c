"""The WebSocket API: handshake, commands, subscriptions, coalescing, slow clients."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
import voluptuous as vol

from hub.http.roles import Role
from hub.http.websocket.commands import ws_commands
from hub.http.websocket.connection import Connection
from hub.http.websocket.server import WEBSOCKETS
from hub.testing.http import HubClient, MakeHubClient


async def _command(ws: aiohttp.ClientWebSocketResponse, **msg: Any) -> dict[str, Any]:
    await ws.send_json(msg)
    reply: dict[str, Any] = await ws.receive_json(timeout=5)
    return reply


async def test_handshake_rejects_bad_token(hub_client: HubClient) -> None:
    ws = await hub_client.session.ws_connect(hub_client.url("/api/websocket"))
    assert (await ws.receive_json())["type"] == "auth_required"
    await ws.send_json({"type": "auth", "access_token": "fha_wrong"})
    reply = await ws.receive_json()
    assert reply["type"] == "auth_invalid"
    closing = await ws.receive()
    assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    await ws.close()


async def test_handshake_rejects_non_auth_message(hub_client: HubClient) -> None:
    ws = await hub_client.session.ws_connect(hub_client.url("/api/websocket"))
    await ws.receive_json()
    await ws.send_str("hello")
    assert (await ws.receive_json())["type"] == "auth_invalid"
    await ws.close()


async def test_basic_commands(hub_client: HubClient) -> None:
    hub_client.hub.states.set("sensor.a", "1")
    ws = await hub_client.websocket("viewer")
    assert await _command(ws, id=1, type="ping") == {"id": 1, "type": "pong"}
    states = await _command(ws, id=2, type="get_states")
    assert states["success"] and states["result"][0]["entity_id"] == "sensor.a"
    services = await _command(ws, id=3, type="get_services")
    assert any(d["domain"] == "hub" for d in services["result"])
    config = await _command(ws, id=4, type="get_config")
    assert config["result"]["state"] == "running"
    await ws.close()


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ({"id": 1, "type": "nope"}, "unknown_command"),
        ({"id": 1, "type": "subscribe_events", "event_type": 5}, "invalid_format"),
        ({"id": 1, "type": "subscribe_entities", "entity_ids": ["Bad Id"]}, "invalid_format"),
        ({"id": "1", "type": "ping"}, "invalid_format"),
        ({"id": 1, "type": "unsubscribe_events", "subscription": 99}, "not_found"),
        ({"id": 1, "type": "call_service", "domain": "no", "service": "pe"}, "service_not_found"),
        ([1, 2], "invalid_format"),
    ],
)
async def test_bad_messages(hub_client: HubClient, message: object, code: str) -> None:
    ws = await hub_client.websocket("admin")
    await ws.send_json(message)
    reply = await ws.receive_json(timeout=5)
    assert reply["success"] is False
    assert reply["error"]["code"] == code
    assert (await _command(ws, id=50, type="ping"))["type"] == "pong"
    await ws.close()


async def test_malformed_json_and_id_reuse(hub_client: HubClient) -> None:
    ws = await hub_client.websocket("viewer")
    await ws.send_str("{nope")
    assert (await ws.receive_json())["error"]["code"] == "invalid_format"
    await _command(ws, id=5, type="ping")
    reused = await _command(ws, id=5, type="ping")
    assert reused["error"]["code"] == "id_reuse"
    await ws.close()


async def test_call_service_roles(hub_client: HubClient) -> None:
    calls = []
    hub_client.hub.services.register("switch", "toggle", calls.append)
    viewer = await hub_client.websocket("viewer")
    refused = await _command(viewer, id=1, type="call_service", domain="switch", service="toggle")
    assert refused["error"]["code"] == "unauthorized"
    operator = await hub_client.websocket("operator")
    done = await _command(
        operator,
        id=1,
        type="call_service",
        domain="switch",
        service="toggle",
        service_data={"entity_id": "switch.pump"},
    )
    assert done["success"] is True
    assert done["result"]["context"]["user_id"] == hub_client.users["operator"].id
    admin_only = await _command(operator, id=2, type="call_service", domain="hub", service="stop")
    assert admin_only["error"]["code"] == "forbidden"
    assert len(calls) == 1 and hub_client.hub.is_running
    await viewer.close()
    await operator.close()


async def test_subscribe_and_unsubscribe_events(hub_client: HubClient) -> None:
    ws = await hub_client.websocket("viewer")
    subscribed = await _command(ws, id=1, type="subscribe_events", event_type="state_changed")
    assert subscribed["success"]
    hub_client.hub.states.set("sensor.a", "7", {"unit": "m"})
    event = await ws.receive_json(timeout=5)
    assert event["id"] == 1 and event["type"] == "event"
    assert event["event"]["event_type"] == "state_changed"
    assert event["event"]["data"]["new_state"]["state"] == "7"
    assert event["event"]["data"]["old_state"] is None
    assert (await _command(ws, id=2, type="unsubscribe_events", subscription=1))["success"]
    hub_client.hub.states.set("sensor.a", "8")
    assert (await _command(ws, id=3, type="ping"))["type"] == "pong"
    await ws.close()


async def test_subscribe_entities_snapshot_and_coalescing(hub_client: HubClient) -> None:
    hub = hub_client.hub
    hub.states.set("sensor.a", "1", {"x": 1, "gone": True})
    hub.states.set("sensor.other", "1")
    ws = await hub_client.websocket("viewer")
    result = await _command(
        ws, id=1, type="subscribe_entities", entity_ids=["sensor.a", "sensor.b"]
    )
    assert result["success"]
    snapshot = await ws.receive_json(timeout=5)
    assert list(snapshot["event"]["a"]) == ["sensor.a"]
    assert snapshot["event"]["a"]["sensor.a"]["s"] == "1"
    for value in range(2, 12):
        hub.states.set("sensor.a", str(value), {"x": value})
    hub.states.set("sensor.b", "new")
    hub.states.set("sensor.other", "2")
    batch = await ws.receive_json(timeout=5)
    event = batch["event"]
    assert event["c"]["sensor.a"]["+"]["s"] == "11"
    assert event["c"]["sensor.a"]["+"]["a"] == {"x": 11}
    assert event["c"]["sensor.a"]["-"] == {"a": ["gone"]}
    assert event["a"]["sensor.b"]["s"] == "new"
    assert "sensor.other" not in event.get("c", {})
    hub.states.remove("sensor.b")
    removed = await ws.receive_json(timeout=5)
    assert removed["event"] == {"r": ["sensor.b"]}
    await ws.close()


async def test_registered_command_and_role(hub_client: HubClient) -> None:
    async def echo(conn: Connection, msg: dict[str, Any]) -> None:
        conn.send_result(msg["id"], {"echo": msg["text"], "user": conn.user.name})

    ws_commands(hub_client.hub).register(
        "test/echo", echo, {vol.Required("text"): str}, role=Role.OPERATOR
    )
    operator = await hub_client.websocket("operator")
    reply = await _command(operator, id=1, type="test/echo", text="hi")
    assert reply["result"] == {"echo": "hi", "user": "operator"}
    viewer = await hub_client.websocket("viewer")
    refused = await _command(viewer, id=1, type="test/echo", text="hi")
    assert refused["error"]["code"] == "unauthorized"
    await operator.close()
    await viewer.close()


async def test_slow_client_is_told_and_disconnected(make_hub_client: MakeHubClient) -> None:
    client = await make_hub_client({"websocket_send_queue": 8})
    hub = client.hub
    websockets = client.server.runner.app[WEBSOCKETS]
    slow = await client.websocket("viewer")
    fast = await client.websocket("viewer")
    for ws in (slow, fast):
        assert (await _command(ws, id=1, type="subscribe_events", event_type="tank_update"))[
            "success"
        ]
    payload = "x" * 65536
    received: list[int] = []

    async def read_fast() -> None:
        while True:
            message = await fast.receive_json(timeout=10)
            received.append(message["event"]["data"]["n"])
            if message["event"]["data"].get("last"):
                return

    async def read_slow() -> tuple[dict[str, Any], int | None]:
        last: dict[str, Any] = {}
        async for message in slow:
            if message.type == aiohttp.WSMsgType.TEXT:
                last = message.json()
        return last, slow.close_code

    sent = 0
    reader = asyncio.create_task(read_fast())
    while not any(c.too_slow for c in websockets.connections) and sent < 2000:
        hub.bus.fire("tank_update", {"n": sent, "blob": payload})
        sent += 1
        await asyncio.sleep(0.001)
    slow_reader = asyncio.create_task(read_slow())
    hub.bus.fire("tank_update", {"n": sent, "blob": "", "last": True})
    sent += 1
    await asyncio.wait_for(reader, 20)
    assert received == list(range(sent))
    last, close_code = await asyncio.wait_for(slow_reader, 20)
    assert last["type"] == "disconnect"
    assert last["error"]["code"] == "too_slow"
    assert close_code == aiohttp.WSCloseCode.TRY_AGAIN_LATER
    for _ in range(200):
        if len(websockets.connections) == 1:
            break
        await asyncio.sleep(0.01)
    assert len(websockets.connections) == 1
    assert websockets.disconnected_slow == 1
    await fast.close()
