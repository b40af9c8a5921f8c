"""Role checks: a viewer tries every mutating route; operators may not call hub.* services."""

from __future__ import annotations

import re

import pytest

from hub.http.keys import ROUTES
from hub.http.roles import Role, role_allows
from hub.testing.http import HubClient

_PARAM_RE = re.compile(r"\{([a-z_]+)(?::[^}]*)?\}")
_SAMPLES = {"entity_id": "sensor.probe", "domain": "hub", "service": "stop"}


def _concrete(path: str) -> str:
    return _PARAM_RE.sub(lambda m: _SAMPLES.get(m.group(1), "x1"), path)


async def test_viewer_is_refused_every_mutating_route(hub_client: HubClient) -> None:
    routes = hub_client.server.runner.app[ROUTES].routes()
    mutating = [r for r in routes if r.method != "GET" and r.role in ("operator", "admin")]
    assert len(mutating) >= 8
    for route in mutating:
        result = await hub_client.request(
            route.method, _concrete(route.path), role="viewer", json={}
        )
        assert result.status == 403, (route.method, route.path, result)
        assert result.data["error"]["code"] == "forbidden"
    assert hub_client.hub.states.get("sensor.probe") is None
    assert hub_client.hub.is_running


async def test_every_user_route_needs_a_token(hub_client: HubClient) -> None:
    routes = hub_client.server.runner.app[ROUTES].routes()
    for route in [r for r in routes if r.role in ("viewer", "operator", "admin")][:40]:
        result = await hub_client.request(route.method, _concrete(route.path), role=None)
        assert result.status in (401, 429), (route.method, route.path)


@pytest.mark.parametrize(
    ("role", "path", "expected"),
    [
        ("operator", "/api/services/hub/stop", 403),
        ("operator", "/api/states/sensor.x", 403),
        ("operator", "/api/events/custom", 403),
        ("operator", "/api/users", 403),
        ("viewer", "/api/services/switch/turn_on", 403),
    ],
)
async def test_wrong_role(hub_client: HubClient, role: str, path: str, expected: int) -> None:
    result = await hub_client.request("POST", path, role=role, json={"state": "1"})
    assert result.status == expected
    assert hub_client.hub.is_running


@pytest.mark.parametrize("have", list(Role))
@pytest.mark.parametrize("need", list(Role))
def test_role_order(have: Role, need: Role) -> None:
    order = [Role.VIEWER, Role.OPERATOR, Role.ADMIN]
    assert role_allows(have, need) is (order.index(have) >= order.index(need))
