"""The ``hub_client`` fixture: the HTTP component on a free port, a session, and tokens.

``hub_client`` serves the ``hub`` fixture's hub with default settings; ``make_hub_client``
takes ``http:`` options first (``await make_hub_client({"max_body_size": 2048})``). Both give
a :class:`HubClient` with users ``admin``, ``operator`` and ``viewer`` and an access token
for each (passwords are hashed at a low cost to keep tests fast).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson
import pytest_asyncio

from hub.core.hub import Hub
from hub.http.component import start_http
from hub.http.config import CONFIG_SCHEMA
from hub.http.roles import Role
from hub.http.server import HttpServer
from hub.http.users import User
from hub.testing.network import free_port

TEST_PASSWORD_ROUNDS = 4


@dataclass(frozen=True, slots=True)
class ApiResult:
    """A response read completely: status, parsed JSON (or text) and headers."""

    status: int
    data: Any
    headers: Mapping[str, str]


@dataclass(slots=True)
class HubClient:
    """A running HTTP server for a test hub, with a client session and a token per role."""

    hub: Hub
    server: HttpServer
    session: aiohttp.ClientSession
    base_url: str
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        """The absolute URL of ``path``."""
        return self.base_url + path

    def headers(self, role: str | None) -> dict[str, str]:
        """An ``Authorization`` header with the token of ``role`` (none for None)."""
        return {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}

    async def request(
        self,
        method: str,
        path: str,
        *,
        role: str | None = "admin",
        json: Any = None,
        data: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ApiResult:
        """Send a request as ``role`` and read the whole response."""
        all_headers = {**self.headers(role), **(headers or {})}
        async with self.session.request(
            method, self.url(path), json=json, data=data, headers=all_headers
        ) as response:
            raw = await response.read()
            content_type = response.headers.get("Content-Type", "")
            body: Any = raw.decode(errors="replace")
            if content_type.startswith("application/json") and raw:
                body = orjson.loads(raw)
            return ApiResult(response.status, body, dict(response.headers))

    async def websocket(self, role: str | None = "admin") -> aiohttp.ClientWebSocketResponse:
        """A WebSocket that has completed the auth handshake as ``role``."""
        ws = await self.session.ws_connect(self.url("/api/websocket"))
        hello = await ws.receive_json()
        if hello.get("type") != "auth_required":
            raise AssertionError(f"unexpected first message {hello}")
        token = "" if role is None else self.tokens[role]
        await ws.send_json({"type": "auth", "access_token": token})
        reply = await ws.receive_json()
        if reply.get("type") != "auth_ok":
            await ws.close()
            raise AssertionError(f"authentication failed: {reply}")
        return ws


MakeHubClient = Callable[..., Awaitable[HubClient]]


@pytest_asyncio.fixture
async def make_hub_client(hub: Hub) -> AsyncIterator[MakeHubClient]:
    """Start the HTTP component for ``hub`` with ``http:`` options; return a :class:`HubClient`."""
    sessions: list[aiohttp.ClientSession] = []

    async def make(options: Mapping[str, Any] | None = None) -> HubClient:
        port = free_port()
        config = CONFIG_SCHEMA(
            {"server_host": "127.0.0.1", "server_port": port, **dict(options or {})}
        )
        server = await start_http(hub, config, password_rounds=TEST_PASSWORD_ROUNDS)
        session = aiohttp.ClientSession()
        sessions.append(session)
        client = HubClient(hub, server, session, f"http://127.0.0.1:{port}")
        for role in Role:
            user = await server.auth.add_user(role.value, role, None)
            client.users[role.value] = user
            client.tokens[role.value] = server.auth.issue_access_token(user).token
        return client

    yield make
    for session in sessions:
        await session.close()


@pytest_asyncio.fixture
async def hub_client(make_hub_client: MakeHubClient) -> HubClient:
    """The HTTP API of the ``hub`` fixture's hub, with admin, operator and viewer tokens."""
    return await make_hub_client()
