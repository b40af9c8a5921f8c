"""Login, refresh, revocation, expiry, long-lived tokens and rate limits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from hub.core.clock import ManualClock
from hub.core.hub import Hub
from hub.core.services_core import register_core_services
from hub.http.component import start_http
from hub.http.config import CONFIG_SCHEMA
from hub.http.roles import Role
from hub.http.server import HttpServer
from hub.testing.http import HubClient, MakeHubClient
from hub.testing.network import free_port

PASSWORD = "correct horse battery"


async def _login(client: HubClient, name: str, password: str) -> tuple[int, dict[str, object]]:
    result = await client.request(
        "POST", "/api/auth/login", role=None, json={"username": name, "password": password}
    )
    return result.status, result.data


async def test_login_refresh_and_use(hub_client: HubClient) -> None:
    await hub_client.server.auth.add_user("alice", Role.OPERATOR, PASSWORD, ["site_a"])
    status, body = await _login(hub_client, "alice", PASSWORD)
    assert status == 200
    assert body["token_type"] == "Bearer"
    user = body["user"]
    assert isinstance(user, dict)
    assert (user["name"], user["role"], user["sites"]) == ("alice", "operator", ["site_a"])
    me = await hub_client.request(
        "GET",
        "/api/auth/me",
        role=None,
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert me.data["name"] == "alice"
    refreshed = await hub_client.request(
        "POST",
        "/api/auth/token",
        role=None,
        json={"grant_type": "refresh_token", "refresh_token": body["refresh_token"]},
    )
    assert refreshed.status == 200
    assert refreshed.data["access_token"] != body["access_token"]


async def test_wrong_password_and_unknown_user(hub_client: HubClient) -> None:
    await hub_client.server.auth.add_user("bob", Role.VIEWER, PASSWORD)
    wrong = await _login(hub_client, "bob", "not the password")
    unknown = await _login(hub_client, "nobody", PASSWORD)
    assert wrong[0] == unknown[0] == 401
    assert wrong[1] == unknown[1]


async def test_revoking_refresh_token_ends_its_access_tokens(hub_client: HubClient) -> None:
    await hub_client.server.auth.add_user("carol", Role.VIEWER, PASSWORD)
    _status, body = await _login(hub_client, "carol", PASSWORD)
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert (await hub_client.request("GET", "/api/", role=None, headers=headers)).status == 200
    revoked = await hub_client.request(
        "POST", "/api/auth/revoke", role=None, json={"token": body["refresh_token"]}
    )
    assert revoked.status == 200
    after = await hub_client.request("GET", "/api/", role=None, headers=headers)
    assert after.status == 401
    refresh = await hub_client.request(
        "POST",
        "/api/auth/token",
        role=None,
        json={"grant_type": "refresh_token", "refresh_token": body["refresh_token"]},
    )
    assert refresh.status == 401


async def test_long_lived_tokens(hub_client: HubClient) -> None:
    created = await hub_client.request(
        "POST", "/api/auth/long_lived_tokens", role="viewer", json={"name": "grafana"}
    )
    assert created.status == 201
    token = created.data["token"]
    headers = {"Authorization": f"Bearer {token}"}
    me = await hub_client.request("GET", "/api/auth/me", role=None, headers=headers)
    assert me.data["name"] == "viewer"
    duplicate = await hub_client.request(
        "POST", "/api/auth/long_lived_tokens", role="viewer", json={"name": "grafana"}
    )
    assert duplicate.status == 409
    listed = await hub_client.request("GET", "/api/auth/long_lived_tokens", role="viewer")
    assert [t["name"] for t in listed.data] == ["grafana"]
    assert "token" not in listed.data[0]
    deleted = await hub_client.request(
        "DELETE", f"/api/auth/long_lived_tokens/{created.data['id']}", role="viewer"
    )
    assert deleted.status == 200
    after = await hub_client.request("GET", "/api/auth/me", role=None, headers=headers)
    assert after.status == 401


async def test_removing_user_ends_their_tokens(hub_client: HubClient) -> None:
    auth = hub_client.server.auth
    user = await auth.add_user("dave", Role.OPERATOR, None)
    access = auth.issue_access_token(user).token
    _info, long_lived = await auth.create_long_lived_token("dave", "script")
    removed = await hub_client.request("DELETE", "/api/users/dave")
    assert removed.status == 200
    for token in (access, long_lived):
        result = await hub_client.request(
            "GET", "/api/", role=None, headers={"Authorization": f"Bearer {token}"}
        )
        assert result.status == 401


async def test_users_api(hub_client: HubClient) -> None:
    created = await hub_client.request(
        "POST",
        "/api/users",
        json={"name": "erin", "role": "viewer", "password": PASSWORD, "sites": ["north"]},
    )
    assert created.status == 201
    assert created.data["sites"] == ["north"]
    listed = await hub_client.request("GET", "/api/users")
    assert "erin" in [u["name"] for u in listed.data]
    taken = await hub_client.request(
        "POST", "/api/users", json={"name": "erin", "role": "viewer", "password": PASSWORD}
    )
    assert taken.status == 409
    self_remove = await hub_client.request("DELETE", "/api/users/admin")
    assert self_remove.status == 400


async def test_login_lockout_per_user(make_hub_client: MakeHubClient) -> None:
    client = await make_hub_client({"login_attempts_threshold": 3, "login_lockout": 60})
    await client.server.auth.add_user("frank", Role.VIEWER, PASSWORD)
    for _ in range(3):
        assert (await _login(client, "frank", "bad password"))[0] == 401
    status, body = await _login(client, "frank", PASSWORD)
    assert status == 429
    error = body["error"]
    assert isinstance(error, dict) and error["code"] == "login_locked"


async def test_login_lockout_per_address(make_hub_client: MakeHubClient) -> None:
    client = await make_hub_client({"login_attempts_threshold": 1, "login_lockout": 60})
    await client.server.auth.add_user("grace", Role.VIEWER, PASSWORD)
    for name in ("u1", "u2", "u3", "u4"):
        assert (await _login(client, name, "guess guess"))[0] == 401
    assert (await _login(client, "grace", PASSWORD))[0] == 429


async def test_unauthenticated_requests_are_rate_limited(make_hub_client: MakeHubClient) -> None:
    client = await make_hub_client({"unauthenticated_requests_per_minute": 5})
    statuses = [(await client.request("GET", "/api/states", role=None)).status for _ in range(7)]
    assert statuses == [401] * 5 + [429] * 2
    limited = await client.request("GET", "/api/states", role=None)
    assert int(limited.headers["Retry-After"]) >= 1
    assert (await client.request("GET", "/api/states", role="viewer")).status == 200


@pytest_asyncio.fixture
async def clocked(config_dir: Path) -> AsyncIterator[tuple[Hub, ManualClock, HttpServer, str]]:
    clock = ManualClock()
    hub = Hub(config_dir, clock=clock)
    await hub.start_core()
    register_core_services(hub)
    hub.mark_started()
    port = free_port()
    config = CONFIG_SCHEMA(
        {
            "server_host": "127.0.0.1",
            "server_port": port,
            "access_token_lifetime": 60,
            "login_lockout": 30,
            "login_attempts_threshold": 2,
        }
    )
    server = await start_http(hub, config, password_rounds=4)
    try:
        yield hub, clock, server, f"http://127.0.0.1:{port}"
    finally:
        await hub.stop()


async def test_access_token_expires(clocked: tuple[Hub, ManualClock, HttpServer, str]) -> None:
    _hub, clock, server, url = clocked
    user = await server.auth.add_user("henry", Role.VIEWER, None)
    token = server.auth.issue_access_token(user).token
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.get(url + "/api/") as response:
            assert response.status == 200
        clock.advance(59)
        async with session.get(url + "/api/") as response:
            assert response.status == 200
        clock.advance(2)
        async with session.get(url + "/api/") as response:
            assert response.status == 401
            body = await response.json()
    assert body["error"]["message"] == "invalid or expired token"


async def test_lockout_ends_after_lockout_time(
    clocked: tuple[Hub, ManualClock, HttpServer, str],
) -> None:
    _hub, clock, server, url = clocked
    await server.auth.add_user("iris", Role.VIEWER, PASSWORD)
    login = {"username": "iris", "password": "wrong password"}
    async with aiohttp.ClientSession() as session:
        for _ in range(2):
            async with session.post(url + "/api/auth/login", json=login) as response:
                assert response.status == 401
        good = {"username": "iris", "password": PASSWORD}
        async with session.post(url + "/api/auth/login", json=good) as response:
            assert response.status == 429
        clock.advance(31)
        async with session.post(url + "/api/auth/login", json=good) as response:
            assert response.status == 200


@pytest.mark.parametrize("header", ["", "Bearer", "Basic abc", "Bearer fha_nope", "Bearer fhl_a.b"])
async def test_bad_authorization_headers(hub_client: HubClient, header: str) -> None:
    result = await hub_client.request(
        "GET", "/api/states", role=None, headers={"Authorization": header}
    )
    assert result.status == 401
    assert result.data["error"]["code"] == "unauthorized"
