"""The REST routes, served by a bare aiohttp app that registers them like the HTTP server."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from conftest import Setup, Tick

from hub.automation.http_views import register_http_views
from hub.core.hub import Hub
from hub.core.services import ServiceCall
from hub.http.errors import ApiError, error_response

Client = Callable[..., Awaitable[TestClient[Any, Any]]]
AUTOMATIONS = """- id: door
  alias: Door
  trigger:
    - platform: state
      entity_id: binary_sensor.door
      to: "on"
  action:
    - service: test.record
      data:
        n: door
"""


@web.middleware
async def api_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as err:
        return error_response(err.status, err.code, err.message)


@pytest.fixture
async def client(hub: Hub, aiohttp_client: Client) -> TestClient[Any, Any]:
    app = web.Application(middlewares=[api_errors])
    roles: dict[tuple[str, str], str] = {}
    operations: dict[tuple[str, str], Mapping[str, Any]] = {}

    def register(
        method: str,
        path: str,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
        *,
        role: str = "viewer",
        openapi: Mapping[str, Any] | None = None,
    ) -> None:
        roles[(method, path)] = role
        operations[(method, path)] = openapi or {}
        app.router.add_route(method, path, handler)

    register_http_views(hub, register)
    assert roles[("POST", "/api/automations/{automation_id}/trigger")] == "operator"
    assert roles[("PUT", "/api/automations/{automation_id}/config")] == "admin"
    assert all(op.get("summary") and op.get("responses") for op in operations.values())
    return await aiohttp_client(app)


async def test_list_details_trigger_traces_enable(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall], client: TestClient[Any, Any]
) -> None:
    await setup(AUTOMATIONS)
    listing = await (await client.get("/api/automations")).json()
    assert [(a["id"], a["alias"], a["state"], a["mode"]) for a in listing] == [
        ("door", "Door", "on", "single")
    ]
    response = await client.post("/api/automations/door/trigger", json={"variables": {"x": 1}})
    assert response.status == 200
    await tick()
    assert [c.data["n"] for c in calls] == ["door"]
    traces = await (await client.get("/api/automations/door/traces")).json()
    assert traces[0]["script_execution"] == "finished"
    assert [s["path"] for s in traces[0]["steps"]] == ["trigger", "action/0"]
    details = await (await client.get("/api/automations/door")).json()
    assert details["last_triggered"] is not None and len(details["traces"]) == 1
    assert (await (await client.post("/api/automations/door/disable")).json())["state"] == "off"
    assert (await (await client.post("/api/automations/door/enable")).json())["state"] == "on"
    missing = await client.get("/api/automations/nope")
    assert missing.status == 404


async def test_config_get_and_put(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall], client: TestClient[Any, Any]
) -> None:
    config = hub.config_dir
    (config / "configuration.yaml").write_text("automation: !include automations.yaml\n")
    (config / "secrets.yaml").write_text("who: secret-person\n")
    (config / "automations.yaml").write_text(
        AUTOMATIONS + "- id: other\n  trigger: []\n  action:\n    - service: test.record\n"
        "      data:\n        n: !secret who\n"
    )
    await setup("[]")
    await hub.services.call("automation", "reload", {})
    current = await (await client.get("/api/automations/other/config")).json()
    assert current["action"][0]["data"] == {"n": "!secret who"}
    door = await (await client.get("/api/automations/door/config")).json()
    door["trigger"][0]["to"] = "off"
    response = await client.put("/api/automations/door/config", json=door)
    assert response.status == 200, await response.text()
    bad = await client.put(
        "/api/automations/door/config", json={"trigger": [{"platform": "stat"}], "action": []}
    )
    assert bad.status == 400
    message = (await bad.json())["error"]["message"]
    assert "unknown trigger platform 'stat'" in message and "automation → 0 → trigger" in message
    text = (config / "automations.yaml").read_text()
    assert "to: 'off'" in text and "!secret who" in text and "secret-person" not in text
    new = await client.put(
        "/api/automations/fresh/config",
        json={"alias": "Fresh", "triggers": [], "actions": [{"action": "test.record"}]},
    )
    assert new.status == 200
    listing = await (await client.get("/api/automations")).json()
    assert [a["id"] for a in listing] == ["door", "other", "fresh"]
    tick.set_state("binary_sensor.door", "on")
    tick.set_state("binary_sensor.door", "off")
    await tick()
    assert [c.data["n"] for c in calls] == ["door"]
