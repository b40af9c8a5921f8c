"""Bad input gets a structured error and leaves everything else working."""

from __future__ import annotations

import pytest

from hub.testing.http import ApiResult, HubClient, MakeHubClient


def _code(result: ApiResult) -> str:
    return str(result.data["error"]["code"])


async def test_malformed_json(hub_client: HubClient) -> None:
    result = await hub_client.request(
        "POST",
        "/api/states/sensor.a",
        data=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert result.status == 400
    assert _code(result) == "invalid_json"
    assert hub_client.hub.states.get("sensor.a") is None


@pytest.mark.parametrize(
    "body",
    [
        {"state": 5},
        {"attributes": {}},
        {"state": "x" * 256},
        {"state": "on", "attributes": []},
        {"state": "on", "force_update": "yes"},
        [1, 2],
    ],
)
async def test_wrong_types_in_state_body(hub_client: HubClient, body: object) -> None:
    result = await hub_client.request("POST", "/api/states/sensor.a", json=body)
    assert result.status == 400
    assert _code(result) == "invalid_input"
    assert "sensor.a" not in hub_client.hub.states


async def test_invalid_entity_id(hub_client: HubClient) -> None:
    result = await hub_client.request("POST", "/api/states/Not-An-Id", json={"state": "1"})
    assert (result.status, _code(result)) == (400, "invalid_entity_id")


async def test_unknown_entity_and_service(hub_client: HubClient) -> None:
    entity = await hub_client.request("GET", "/api/states/sensor.missing")
    assert (entity.status, _code(entity)) == (404, "entity_not_found")
    service = await hub_client.request("POST", "/api/services/nothing/here", json={})
    assert (service.status, _code(service)) == (404, "service_not_found")


async def test_service_data_validation(hub_client: HubClient) -> None:
    invalid = await hub_client.request("POST", "/api/services/hub/reload", json={"domain": 3})
    assert (invalid.status, _code(invalid)) == (400, "invalid_service_data")
    not_object = await hub_client.request("POST", "/api/services/hub/reload", json=[1])
    assert (not_object.status, _code(not_object)) == (400, "invalid_input")


async def test_unknown_route_and_method(hub_client: HubClient) -> None:
    missing = await hub_client.request("GET", "/api/nothing")
    assert (missing.status, _code(missing)) == (404, "not_found")
    wrong = await hub_client.request("PUT", "/api/states")
    assert (wrong.status, _code(wrong)) == (405, "method_not_allowed")
    assert "GET" in wrong.headers["Allow"]


async def test_oversized_body(make_hub_client: MakeHubClient) -> None:
    client = await make_hub_client({"max_body_size": 2048})
    big = {"state": "on", "attributes": {"blob": "x" * 4096}}
    result = await client.request("POST", "/api/states/sensor.big", json=big)
    assert (result.status, _code(result)) == (413, "body_too_large")
    assert "sensor.big" not in client.hub.states
    small = await client.request("POST", "/api/states/sensor.small", json={"state": "on"})
    assert small.status == 201


async def test_handler_crash_is_a_structured_500(hub_client: HubClient) -> None:
    def broken(_call: object) -> None:
        raise RuntimeError("boom")

    hub_client.hub.services.register("test", "broken", broken)
    result = await hub_client.request("POST", "/api/services/test/broken", role="operator")
    assert (result.status, _code(result)) == (500, "internal_error")
    assert (await hub_client.request("GET", "/api/")).status == 200
