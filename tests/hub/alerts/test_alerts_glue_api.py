"""The alert routes inside the real HTTP component: bootstrap, roles, actors, OpenAPI."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from hub.alerts.component import CONFIG_SCHEMA, async_setup
from hub.alerts.manager import ALERTS
from hub.core.hub import Hub
from hub.testing.http import HubClient

DOOR = {"door": {"name": "Door open", "entity_id": "binary_sensor.door", "repeat": 5}}


async def test_yaml_alerts_start_through_bootstrap(
    start_hub: Callable[[Mapping[str, str]], Awaitable[Hub]],
) -> None:
    yaml_text = "alert:\n  door:\n    entity_id: binary_sensor.door\n    repeat: 5\n"
    hub = await start_hub({"configuration.yaml": yaml_text})
    state = hub.states.get("alert.door")
    assert state is not None and state.state == "idle"
    assert hub.services.has("alert", "shelve")
    assert ALERTS in hub.data


async def test_operator_role_and_actor_on_the_real_api(hub: Hub, hub_client: HubClient) -> None:
    await async_setup(hub, CONFIG_SCHEMA(DOOR))
    hub.states.set("binary_sensor.door", "on")
    listed = await hub_client.request("GET", "/api/alerts?state=on", role="viewer")
    assert [a["id"] for a in listed.data] == ["door"]
    refused = await hub_client.request("POST", "/api/alerts/door/acknowledge", role="viewer")
    assert refused.status == 403
    done = await hub_client.request("POST", "/api/alerts/door/acknowledge", role="operator")
    assert done.status == 200
    detail = await hub_client.request("GET", "/api/alerts/door", role="viewer")
    operator_id = hub_client.users["operator"].id
    assert detail.data["occurrences"][0]["ack_by"] == operator_id
    spec = await hub_client.request("GET", "/api/openapi.json", role=None)
    paths = spec.data["paths"]
    assert {"/api/alerts", "/api/alerts/kpi", "/api/alerts/{alert_id}/shelve"} <= set(paths)
    assert "requestBody" in paths["/api/alerts/{alert_id}/shelve"]["post"]
