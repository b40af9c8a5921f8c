"""Who may call a route: bearer-token authentication and role checks around each handler."""

from __future__ import annotations

from aiohttp import web

from hub.http.errors import ApiError
from hub.http.keys import AUTH, CLIENT_ADDRESS, REQUEST_LIMITER, USER
from hub.http.request import bearer_token
from hub.http.roles import DEVICE_ROUTE, PUBLIC_ROUTE, Role, role_allows
from hub.http.routing import Handler, RouteSpec
from hub.http.users import User


async def authenticate(request: web.Request) -> User:
    """The user behind the request's bearer token; 401 (or 429 when rate limited) otherwise."""
    token = bearer_token(request)
    user = None if token is None else await request.app[AUTH].authenticate(token)
    if user is not None:
        return user
    wait = request.app[REQUEST_LIMITER].hit(request[CLIENT_ADDRESS])
    if wait > 0:
        raise ApiError(
            429,
            "too_many_requests",
            "too many unauthenticated requests from this address; try again later",
            headers={"Retry-After": str(max(1, round(wait)))},
        )
    message = "missing bearer token" if token is None else "invalid or expired token"
    raise ApiError(
        401, "unauthorized", message, headers={"WWW-Authenticate": 'Bearer realm="fieldhub"'}
    )


def require_role(user: User, need: Role) -> None:
    """Raise 403 unless ``user`` has at least role ``need``."""
    if not role_allows(user.role, need):
        raise ApiError(403, "forbidden", f"this needs the {need.value} role")


def guarded(spec: RouteSpec) -> Handler:
    """``spec.handler`` wrapped with authentication and the route's role check."""
    if spec.role in (PUBLIC_ROUTE, DEVICE_ROUTE):
        return spec.handler
    need = Role(spec.role)
    inner = spec.handler

    async def handler(request: web.Request) -> web.StreamResponse:
        user = await authenticate(request)
        require_role(user, need)
        request[USER] = user
        return await inner(request)

    return handler
