"""Middlewares: structured errors, the client's address behind proxies, and CORS."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler, Middleware

from hub.http.errors import HTTP_ERROR_CODES, ApiError, error_response
from hub.http.keys import CLIENT_ADDRESS

_LOGGER = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer every failure with ``{"error": {"code", "message"}}``."""
    try:
        return await handler(request)
    except ApiError as err:
        return error_response(err.status, err.code, err.message, err.headers)
    except web.HTTPException as err:
        if err.status < 400:
            raise
        code = HTTP_ERROR_CODES.get(err.status, "http_error")
        headers = {k: v for k, v in err.headers.items() if k in (hdrs.ALLOW, hdrs.RETRY_AFTER)}
        return error_response(err.status, code, err.reason, headers)
    except Exception:
        _LOGGER.exception("Error handling %s %s", request.method, request.path)
        return error_response(500, "internal_error", "internal server error")


def _in_networks(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def address_middleware(use_forwarded_for: bool, trusted: Sequence[Network]) -> Middleware:
    """Store the client address; behind a trusted proxy it comes from ``X-Forwarded-For``."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        request[CLIENT_ADDRESS] = _client_address(request, use_forwarded_for, trusted)
        return await handler(request)

    return middleware


def _client_address(
    request: web.Request, use_forwarded_for: bool, trusted: Sequence[Network]
) -> str:
    peer = request.remote or "unknown"
    forwarded = request.headers.getall(hdrs.X_FORWARDED_FOR, [])
    if not use_forwarded_for or not forwarded or not _in_networks(peer, trusted):
        return peer
    hops = [hop.strip() for value in forwarded for hop in value.split(",")]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError as err:
            raise ApiError(400, "bad_forwarded_for", "malformed X-Forwarded-For header") from err
        if not _in_networks(hop, trusted):
            return hop
    return hops[0]


def cors_middleware(allowed_origins: Sequence[str]) -> Middleware:
    """Allow the listed browser origins, answering preflight requests."""
    allowed = frozenset(o.rstrip("/") for o in allowed_origins)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get(hdrs.ORIGIN)
        if origin is None or origin not in allowed:
            return await handler(request)
        headers = {
            hdrs.ACCESS_CONTROL_ALLOW_ORIGIN: origin,
            hdrs.VARY: hdrs.ORIGIN,
        }
        if request.method == "OPTIONS" and hdrs.ACCESS_CONTROL_REQUEST_METHOD in request.headers:
            headers.update(
                {
                    hdrs.ACCESS_CONTROL_ALLOW_METHODS: "GET, POST, PUT, PATCH, DELETE",
                    hdrs.ACCESS_CONTROL_ALLOW_HEADERS: "Authorization, Content-Type",
                    hdrs.ACCESS_CONTROL_MAX_AGE: "600",
                }
            )
            return web.Response(status=204, headers=headers)
        response = await handler(request)
        if not response.prepared:
            response.headers.update(headers)
        return response

    return middleware
