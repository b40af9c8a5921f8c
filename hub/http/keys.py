"""Typed keys for the web application's and requests' shared state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from aiohttp import web

from hub.core.context import Context

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.auth import AuthManager
    from hub.http.ratelimit import LoginLimiter, RequestLimiter
    from hub.http.routing import RouteTable
    from hub.http.state_json import StateJsonCache
    from hub.http.users import User
    from hub.http.websocket.server import WebSocketHub

HUB: Final = web.AppKey["Hub"]("hub")
AUTH: Final = web.AppKey["AuthManager"]("auth")
ROUTES: Final = web.AppKey["RouteTable"]("routes")
LOGIN_LIMITER: Final = web.AppKey["LoginLimiter"]("login_limiter")
REQUEST_LIMITER: Final = web.AppKey["RequestLimiter"]("request_limiter")
STATE_JSON: Final = web.AppKey["StateJsonCache"]("state_json")
WEBSOCKETS: Final = web.AppKey["WebSocketHub"]("websockets")

USER: Final = web.RequestKey["User"]("user")
CLIENT_ADDRESS: Final = web.RequestKey[str]("client_address")


def request_user(request: web.Request) -> User:
    """The authenticated user of a request (routes with a user role only)."""
    return request[USER]


def request_context(request: web.Request) -> Context:
    """A context naming the request's user, for service calls and state writes."""
    user = request.get(USER)
    return Context(user_id=None if user is None else user.id, origin="api")
