"""The alert REST routes on a minimal aiohttp app (the routes exactly as registered)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from alerts_glue import AlertHarness, running_alerts

from hub.alerts.http_views import register_http_views
from hub.core.clock import ManualClock
from hub.http.keys import USER
from hub.http.middleware import error_middleware

CONFIG = """
alert:
  level_high:
    name: Level high
    entity_id: sensor.level
    above: 80
    severity: critical
    max_shelve: "01:00:00"
    repeat: 60
    notifiers: [phone]
  door_open:
    name: Door open
    entity_id: binary_sensor.door
    severity: info
    repeat: 60
"""


@dataclass(frozen=True)
class FakeUser:
    id: str


@dataclass
class Api:
    client: TestClient[web.Request, web.Application]
    harness: AlertHarness
    roles: dict[tuple[str, str], str]
    openapi: dict[tuple[str, str], Mapping[str, Any]]


@pytest_asyncio.fixture
async def api(config_dir: Path) -> AsyncIterator[Api]:
    @web.middleware
    async def as_operator(request: web.Request, handler: Any) -> web.StreamResponse:
        request[USER] = FakeUser("u-op")  # type: ignore[assignment]
        return await handler(request)

    async with running_alerts(config_dir, CONFIG, ManualClock()) as harness:
        app = web.Application(middlewares=[error_middleware, as_operator])
        roles: dict[tuple[str, str], str] = {}
        operations: dict[tuple[str, str], Mapping[str, Any]] = {}

        def register(
            method: str,
            path: str,
            handler: Any,
            *,
            role: str = "viewer",
            openapi: Mapping[str, Any] | None = None,
        ) -> None:
            app.router.add_route(method, path, handler)
            roles[(method, path)] = role
            operations[(method, path)] = openapi or {}

        register_http_views(harness.hub, register)
        async with TestClient(TestServer(app)) as client:
            yield Api(client, harness, roles, operations)


async def test_routes_declare_roles_and_openapi(api: Api) -> None:
    assert api.roles[("POST", "/api/alerts/{alert_id}/shelve")] == "operator"
    assert api.roles[("POST", "/api/alerts/{alert_id}/acknowledge")] == "operator"
    assert api.roles[("GET", "/api/alerts")] == "viewer"
    for operation in api.openapi.values():
        assert operation["summary"]
        assert "200" in operation["responses"]


async def test_list_filters_by_state_and_severity(api: Api) -> None:
    await api.harness.set("sensor.level", 90)
    response = await api.client.get("/api/alerts")
    assert [a["id"] for a in await response.json()] == ["level_high", "door_open"]
    response = await api.client.get("/api/alerts", params={"state": "on"})
    assert [a["id"] for a in await response.json()] == ["level_high"]
    response = await api.client.get("/api/alerts", params={"state": "A", "severity": "info"})
    assert [a["id"] for a in await response.json()] == ["door_open"]


async def test_acknowledge_and_detail_with_history(api: Api) -> None:
    await api.harness.set("sensor.level", 90)
    response = await api.client.post("/api/alerts/level_high/acknowledge")
    assert response.status == 200
    assert (await response.json())["alert"]["isa_state"] == "C"
    response = await api.client.post("/api/alerts/level_high/acknowledge")
    assert response.status == 409
    assert (await response.json())["error"]["code"] == "illegal_transition"
    detail = await (await api.client.get("/api/alerts/level_high")).json()
    assert detail["alert"]["state"] == "off"
    [occurrence] = detail["occurrences"]
    assert occurrence["ack_by"] == "u-op"
    assert [(e["action"], e["actor"]) for e in occurrence["audit"]] == [
        ("activate", "system"),
        ("acknowledge", "u-op"),
    ]
    missing = await api.client.get("/api/alerts/nope")
    assert missing.status == 404
    assert (await missing.json())["error"]["code"] == "alert_not_found"


async def test_shelve_over_the_maximum_is_a_400(api: Api) -> None:
    response = await api.client.post(
        "/api/alerts/level_high/shelve", json={"duration": "02:00:00", "reason": "swap"}
    )
    assert response.status == 400
    body = await response.json()
    assert body["error"] == {
        "code": "shelve_refused",
        "message": "shelve duration 2 h exceeds the maximum of 1 h",
    }
    response = await api.client.post("/api/alerts/level_high/shelve", json={"duration": 60})
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid_input"
    response = await api.client.post(
        "/api/alerts/level_high/shelve", json={"duration": 1800, "reason": "swap"}
    )
    assert (await response.json())["alert"]["shelving"]["kind"] == "timed"
    response = await api.client.post("/api/alerts/level_high/unshelve")
    assert (await response.json())["alert"]["shelving"]["kind"] == "unshelved"


async def test_kpi_report_over_stored_occurrences(api: Api) -> None:
    h = api.harness
    start = h.clock.time()
    for _ in range(12):
        await h.set("sensor.level", 90)
        await h.advance(10)
        await h.set("sensor.level", 50)
        await h.advance(10)
    response = await api.client.get(
        "/api/alerts/kpi", params={"start": str(start), "end": str(start + 3600)}
    )
    report = await response.json()
    assert report["total"] == 12
    assert report["rates"]["peak_10min"] == 12
    assert len(report["floods"]) == 1
    assert report["priority"] == {"critical": 12, "warning": 0, "info": 0}
    assert report["chattering"][0]["alert_id"] == "level_high"
    iso = await api.client.get(
        "/api/alerts/kpi", params={"start": "2026-01-01T00:00:00Z", "end": "2026-01-01T01:00:00Z"}
    )
    assert (await iso.json())["total"] == 12
    bad = await api.client.get("/api/alerts/kpi", params={"start": "yesterday"})
    assert bad.status == 400
