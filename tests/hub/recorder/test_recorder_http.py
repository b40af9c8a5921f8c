"""The REST routes: history (full and downsampled), statistics, logbook and CSV."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from recorder_helpers import T0, StartRecorder

from hub.core.clock import ManualClock
from hub.recorder.http_views import register_http_views

START = "2026-01-01T00:00:00Z"
Routes = list[tuple[str, str, dict[str, Any] | None]]


@pytest.fixture
async def api(
    start_recorder: StartRecorder, aiohttp_client: Callable[..., Any]
) -> tuple[Any, Any, TestClient[Any, Any], Routes]:
    hub, recorder = await start_recorder(clock=ManualClock(T0 + 86_400))
    app = web.Application()
    routes: Routes = []

    def register(
        method: str,
        path: str,
        handler: Any,
        *,
        role: str = "viewer",
        openapi: dict[str, Any] | None = None,
    ) -> None:
        routes.append((method, path, openapi))
        app.router.add_route(method, path, handler)

    register_http_views(hub, register)
    return hub, recorder, await aiohttp_client(app), routes


async def test_every_route_has_an_openapi_operation(api: Any) -> None:
    _hub, _recorder, _client, routes = api
    assert {path for _, path, _ in routes} == {
        "/api/history/period",
        "/api/history/period/{start}",
        "/api/statistics/{statistic_id}",
        "/api/logbook/{start}",
        "/api/history/export/{entity_id}.csv",
    }
    for _method, _path, operation in routes:
        assert operation is not None
        assert operation["summary"] and "200" in operation["responses"]


async def test_history_returns_every_change_shaped_like_home_assistant(api: Any) -> None:
    hub, recorder, client, _routes = api
    hub.states.set("sensor.level", "1", {"unit_of_measurement": "cm"}, timestamp=T0 - 60)
    for index in range(2, 6):
        hub.states.set(
            "sensor.level", str(index), {"unit_of_measurement": "cm"}, timestamp=T0 + index
        )
    hub.states.set("switch.pump", "on", timestamp=T0 + 3)
    await recorder.flush()

    response = await client.get(
        f"/api/history/period/{START}",
        params={"filter_entity_id": "sensor.level,switch.pump", "end_time": "2026-01-01T01:00:00Z"},
    )
    assert response.status == 200
    body = await response.json()
    level, pump = body
    assert [item["state"] for item in level] == ["1", "2", "3", "4", "5"]
    assert level[0] == {
        "entity_id": "sensor.level",
        "state": "1",
        "attributes": {"unit_of_measurement": "cm"},
        "last_changed": "2026-01-01T00:00:00+00:00",
        "last_updated": "2026-01-01T00:00:00+00:00",
    }
    assert pump[0]["state"] == "on"

    minimal = await (
        await client.get(
            f"/api/history/period/{START}",
            params={
                "entity_id": "sensor.level",
                "end": "2026-01-01T01:00:00Z",
                "minimal_response": "",
                "no_attributes": "",
            },
        )
    ).json()
    assert minimal[0][1] == {"state": "2", "last_changed": "2026-01-01T00:00:02+00:00"}
    assert "attributes" not in minimal[0][0]


async def test_history_downsampling_keeps_the_peaks(api: Any) -> None:
    hub, recorder, client, _routes = api
    for second in range(5000):
        value = 1000 if second == 2345 else -1000 if second == 4321 else second % 10
        hub.states.set("sensor.flow", str(value), timestamp=T0 + second)
    await recorder.flush()
    body = await (
        await client.get(
            f"/api/history/period/{START}",
            params={
                "filter_entity_id": "sensor.flow",
                "max_points": "100",
                "end_time": "2026-01-01T02:00:00Z",
                "minimal_response": "1",
            },
        )
    ).json()
    states = [item["state"] for item in body[0]]
    assert 50 <= len(states) <= 102
    assert "1000" in states and "-1000" in states
    assert states[0] == "0" and states[-1] == str(4999 % 10)


async def test_bad_parameters_are_400_with_a_message(api: Any) -> None:
    _hub, _recorder, client, _routes = api
    response = await client.get("/api/history/period/yesterday")
    assert response.status == 400
    assert "ISO 8601" in (await response.json())["message"]
    response = await client.get(f"/api/history/period/{START}", params={"max_points": "1"})
    assert response.status == 400
    response = await client.get("/api/statistics/sensor.x", params={"period": "week"})
    assert response.status == 400


async def test_statistics_logbook_and_csv(api: Any) -> None:
    hub, recorder, client, _routes = api
    attrs = {"state_class": "measurement", "friendly_name": "Tank"}
    hub.states.set("sensor.tank", "10", attrs, timestamp=T0 + 10)
    hub.states.set("sensor.tank", "30", attrs, timestamp=T0 + 160)
    hub.states.set("switch.pump", "on", {"friendly_name": "Pump"}, timestamp=T0 + 20)
    hub.states.set("switch.pump", "on", {"friendly_name": "Pump", "x": 1}, timestamp=T0 + 30)
    await recorder.flush()
    await recorder.compile_statistics(T0 + 300)
    await recorder.compile_statistics(T0 + 600)

    stats = await (
        await client.get(
            "/api/statistics/sensor.tank",
            params={"start": START, "end": "2026-01-01T01:00:00Z", "period": "5minute"},
        )
    ).json()
    assert stats["statistic_id"] == "sensor.tank"
    first = stats["statistics"][0]
    assert first["start"] == "2026-01-01T00:00:00+00:00"
    assert (first["min"], first["max"]) == (10.0, 30.0)

    logbook = await (
        await client.get(f"/api/logbook/{START}", params={"end_time": "2026-01-01T01:00:00Z"})
    ).json()
    messages = [(entry["name"], entry["message"]) for entry in logbook]
    assert messages == [("Tank", "changed to 10"), ("Pump", "turned on"), ("Tank", "changed to 30")]

    response = await client.get(
        "/api/history/export/sensor.tank.csv",
        params={"start": START, "end": "2026-01-01T01:00:00Z"},
    )
    assert response.headers["Content-Type"].startswith("text/csv")
    assert (await response.text()).splitlines() == [
        "entity_id,state,last_changed,last_updated",
        "sensor.tank,10,2026-01-01T00:00:10+00:00,2026-01-01T00:00:10+00:00",
        "sensor.tank,30,2026-01-01T00:02:40+00:00,2026-01-01T00:02:40+00:00",
    ]
