"""REST routes: states, services, events, config, devices, plugins, notices, metrics."""

from __future__ import annotations

import voluptuous as vol

from hub.core.services import ServiceCall
from hub.testing.http import HubClient


async def test_health_and_config(hub_client: HubClient) -> None:
    health = await hub_client.request("GET", "/api/", role="viewer")
    assert health.status == 200
    assert health.data["message"] == "API running."
    config = await hub_client.request("GET", "/api/config", role="viewer")
    assert config.data["state"] == "running"
    assert config.data["site_id"] == hub_client.hub.settings.site_id


async def test_states_list_get_and_set(hub_client: HubClient) -> None:
    hub = hub_client.hub
    hub.states.set("sensor.tank_level", "42", {"unit_of_measurement": "%"})
    listed = await hub_client.request("GET", "/api/states", role="viewer")
    assert [s["entity_id"] for s in listed.data] == ["sensor.tank_level"]
    one = await hub_client.request("GET", "/api/states/sensor.tank_level", role="viewer")
    assert one.data["state"] == "42"
    assert one.data["attributes"] == {"unit_of_measurement": "%"}

    created = await hub_client.request(
        "POST", "/api/states/sensor.new", json={"state": "on", "attributes": {"a": 1}}
    )
    assert created.status == 201
    assert created.headers["Location"] == "/api/states/sensor.new"
    assert hub.states.get("sensor.new") is not None
    updated = await hub_client.request("POST", "/api/states/sensor.new", json={"state": "off"})
    assert updated.status == 200
    state = hub.states.get("sensor.new")
    assert state is not None and state.state == "off"
    assert state.context.user_id == hub_client.users["admin"].id


async def test_state_cache_follows_changes(hub_client: HubClient) -> None:
    hub_client.hub.states.set("sensor.a", "1")
    first = await hub_client.request("GET", "/api/states/sensor.a")
    hub_client.hub.states.set("sensor.a", "2")
    second = await hub_client.request("GET", "/api/states/sensor.a")
    assert (first.data["state"], second.data["state"]) == ("1", "2")


async def test_call_service_returns_changed_states(hub_client: HubClient) -> None:
    hub = hub_client.hub

    def turn_on(call: ServiceCall) -> dict[str, str]:
        hub.states.set(call.data["entity_id"], "on", context=call.context)
        hub.states.set("sensor.unrelated", "x")
        return {"done": call.data["entity_id"]}

    hub.services.register(
        "switch",
        "turn_on",
        turn_on,
        vol.Schema({vol.Required("entity_id"): str}),
        supports_response=True,
    )
    result = await hub_client.request(
        "POST",
        "/api/services/switch/turn_on",
        role="operator",
        json={"entity_id": "switch.pump"},
    )
    assert result.status == 200
    assert [s["entity_id"] for s in result.data] == ["switch.pump"]
    with_response = await hub_client.request(
        "POST",
        "/api/services/switch/turn_on?return_response",
        role="operator",
        json={"entity_id": "switch.valve"},
    )
    assert with_response.data["service_response"] == {"done": "switch.valve"}
    assert [s["entity_id"] for s in with_response.data["changed_states"]] == ["switch.valve"]


async def test_list_services_and_events(hub_client: HubClient) -> None:
    services = await hub_client.request("GET", "/api/services", role="viewer")
    hub_domain = next(d for d in services.data if d["domain"] == "hub")
    assert "reload" in hub_domain["services"]
    hub_client.hub.bus.listen("tank_alarm", lambda _e: None)
    events = await hub_client.request("GET", "/api/events", role="viewer")
    assert {"event": "tank_alarm", "listener_count": 1} in events.data


async def test_fire_event(hub_client: HubClient) -> None:
    received = []
    hub_client.hub.bus.listen("custom_event", received.append)
    fired = await hub_client.request("POST", "/api/events/custom_event", json={"level": 3})
    assert fired.status == 200
    assert [dict(e.data) for e in received] == [{"level": 3}]
    reserved = await hub_client.request("POST", "/api/events/state_changed", json={})
    assert reserved.status == 400
    assert reserved.data["error"]["code"] == "reserved_event"


async def test_devices_list_and_remove(hub_client: HubClient) -> None:
    registry = hub_client.hub.device_registry
    device = await registry.register("tank_node", "Tank 1", [("mac", "aa:bb:cc:dd:ee:ff")])
    listed = await hub_client.request("GET", "/api/devices", role="viewer")
    assert [d["id"] for d in listed.data] == [device.id]
    removed = await hub_client.request("DELETE", f"/api/devices/{device.id}")
    assert removed.status == 200
    assert registry.get(device.id) is None
    again = await hub_client.request("DELETE", f"/api/devices/{device.id}")
    assert again.status == 404
    assert again.data["error"]["code"] == "device_not_found"


async def test_plugins_and_notices(hub_client: HubClient) -> None:
    plugins = await hub_client.request("GET", "/api/plugins", role="viewer")
    assert plugins.status == 200 and isinstance(plugins.data, list)
    notice = await hub_client.hub.notices.create("Low tank", "Tank 1 is low", notice_id="n1")
    listed = await hub_client.request("GET", "/api/notices", role="viewer")
    assert [n["id"] for n in listed.data] == [notice.id]
    dismissed = await hub_client.request("DELETE", "/api/notices/n1", role="operator")
    assert dismissed.status == 200
    assert hub_client.hub.notices.get("n1") is None
    missing = await hub_client.request("DELETE", "/api/notices/n1", role="operator")
    assert missing.status == 404


async def test_metrics_prometheus_text(hub_client: HubClient) -> None:
    hub_client.hub.states.set("sensor.a", "1")
    ws = await hub_client.websocket("viewer")
    result = await hub_client.request("GET", "/api/metrics", role="viewer")
    await ws.close()
    assert result.status == 200
    assert result.headers["Content-Type"].startswith("text/plain")
    lines = result.data.splitlines()
    assert "# TYPE fieldhub_events_fired_total counter" in lines
    assert "fieldhub_entities 1" in lines
    assert "fieldhub_websocket_clients 1" in lines
    assert any(line.startswith("fieldhub_state_writes_total ") for line in lines)
    assert "# TYPE fieldhub_inputs_invalid_total counter" in lines


async def test_openapi_document_matches_routes(hub_client: HubClient) -> None:
    from hub.http.keys import ROUTES
    from hub.http.openapi import openapi_path

    doc = await hub_client.request("GET", "/api/openapi.json", role=None)
    assert doc.status == 200
    assert doc.data["openapi"] == "3.1.0"
    app = hub_client.server.runner.app
    expected = {(openapi_path(r.path), r.method.lower()) for r in app[ROUTES].routes()}
    documented = {(p, m) for p, ops in doc.data["paths"].items() for m in ops}
    assert documented == expected
    state_op = doc.data["paths"]["/api/states/{entity_id}"]["post"]
    assert state_op["x-fieldhub-role"] == "admin"
    assert state_op["parameters"][0]["name"] == "entity_id"


async def test_state_json_matches_state_as_dict(hub_client: HubClient) -> None:
    import datetime as dt

    hub = hub_client.hub
    hub.states.set(
        "sensor.whole",
        "1",
        {"when": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
        timestamp=1_767_225_600.0,
    )
    hub.states.set("sensor.fraction", "2", {"n": [1, 2]}, timestamp=1_767_225_600.25)
    listed = await hub_client.request("GET", "/api/states")
    by_id = {s["entity_id"]: s for s in listed.data}
    for entity_id in ("sensor.whole", "sensor.fraction"):
        state = hub.states.get(entity_id)
        assert state is not None
        expected = state.as_dict()
        expected["attributes"] = {
            k: v.isoformat() if isinstance(v, dt.datetime) else v
            for k, v in expected["attributes"].items()
        }
        assert by_id[entity_id] == expected
