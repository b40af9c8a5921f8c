"""Typed keys for the web application's and requests' shared state."""

from __future__ import annotations

from typing import Final

from aiohttp import web

from hub.core.context import Context
from hub.core.hub import Hub
from hub.http.auth import AuthManager
from hub.http.ratelimit import LoginLimiter, RequestLimiter
from hub.http.routing import RouteTable
from hub.http.state_json import StateJsonCache
from hub.http.users import User

HUB: Final = web.AppKey("hub", Hub)
AUTH: Final = web.AppKey("auth", AuthManager)
ROUTES: Final = web.AppKey("routes", RouteTable)
LOGIN_LIMITER: Final = web.AppKey("login_limiter", LoginLimiter)
REQUEST_LIMITER: Final = web.AppKey("request_limiter", RequestLimiter)
STATE_JSON: Final = web.AppKey("state_json", StateJsonCache)

USER: Final = web.RequestKey("user", User)
CLIENT_ADDRESS: Final = web.RequestKey[str]("client_address")


def request_user(request: web.Request) -> User:
    """The authenticated user of a request (routes with a user role only)."""
    return request[USER]


def request_context(request: web.Request) -> Context:
    """A context naming the request's user, for service calls and state writes."""
    user = request.get(USER)
    return Context(user_id=None if user is None else user.id, origin="api")
