"""``/api/auth``: password login, token refresh and revocation, the caller, long-lived tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from aiohttp import web

from hub.http.auth import AccessToken
from hub.http.errors import ApiError, json_response
from hub.http.keys import AUTH, CLIENT_ADDRESS, LOGIN_LIMITER, request_user
from hub.http.openapi import operation
from hub.http.request import read_json
from hub.http.roles import Role
from hub.http.users import UserError
from hub.http.views.schemas import MESSAGE, TOKEN_INFO, USER

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.routing import Register

_SHORT_TEXT = vol.All(str, vol.Length(min=1, max=255))
_LOGIN = vol.Schema(
    {
        vol.Required("username"): vol.All(str, vol.Length(min=1, max=64)),
        vol.Required("password"): vol.All(str, vol.Length(min=1, max=1024)),
        vol.Optional("client_name"): _SHORT_TEXT,
    }
)
_REFRESH = vol.Schema(
    {vol.Required("grant_type"): "refresh_token", vol.Required("refresh_token"): _SHORT_TEXT}
)
_REVOKE = vol.Schema({vol.Required("token"): _SHORT_TEXT})
_NEW_TOKEN = vol.Schema({vol.Required("name"): _SHORT_TEXT})

_TOKENS_JSON: Final[dict[str, Any]] = {
    "type": "object",
    "properties": {
        "access_token": {"type": "string"},
        "refresh_token": {"type": "string"},
        "token_type": {"const": "Bearer"},
        "expires_in": {"type": "number"},
        "user": USER,
    },
}


def _string_props(*names: str, required: tuple[str, ...] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(required if required is not None else names),
        "properties": {n: {"type": "string", "minLength": 1} for n in names},
    }


def _access_json(access: AccessToken) -> dict[str, Any]:
    return {
        "access_token": access.token,
        "token_type": "Bearer",
        "expires_in": access.lifetime,
    }


def register_http_views(hub: Hub, register: Register) -> None:
    """Register the authentication routes."""

    async def login(request: web.Request) -> web.Response:
        data = await read_json(request, _LOGIN)
        limiter = request.app[LOGIN_LIMITER]
        address = request[CLIENT_ADDRESS]
        name = data["username"]
        wait = limiter.retry_after(name, address)
        if wait > 0:
            raise ApiError(
                429,
                "login_locked",
                "too many failed logins; try again later",
                headers={"Retry-After": str(max(1, round(wait)))},
            )
        result = await request.app[AUTH].login(name, data["password"], data.get("client_name"))
        if result is None:
            limiter.failed(name, address)
            raise ApiError(401, "invalid_credentials", "invalid user name or password")
        limiter.succeeded(name, address)
        return json_response(
            {
                **_access_json(result.access),
                "refresh_token": result.refresh_token,
                "user": result.user.as_dict(),
            }
        )

    async def token(request: web.Request) -> web.Response:
        data = await read_json(request, _REFRESH)
        refreshed = await request.app[AUTH].refresh(data["refresh_token"])
        if refreshed is None:
            raise ApiError(401, "invalid_grant", "unknown or revoked refresh token")
        user, access = refreshed
        return json_response({**_access_json(access), "user": user.as_dict()})

    async def revoke(request: web.Request) -> web.Response:
        data = await read_json(request, _REVOKE)
        await request.app[AUTH].revoke(data["token"])
        return json_response({"message": "Token revoked."})

    async def me(request: web.Request) -> web.Response:
        return json_response(request_user(request).as_dict())

    async def list_tokens(request: web.Request) -> web.Response:
        user = request_user(request)
        name = None if user.role is Role.ADMIN and "all" in request.query else user.name
        tokens = await request.app[AUTH].long_lived_tokens(name)
        return json_response([t.as_dict() for t in tokens])

    async def create_token(request: web.Request) -> web.Response:
        data = await read_json(request, _NEW_TOKEN)
        try:
            info, secret = await request.app[AUTH].create_long_lived_token(
                request_user(request).name, data["name"]
            )
        except UserError as err:
            raise ApiError(409, "conflict", str(err)) from err
        return json_response({**info.as_dict(), "token": secret}, status=201)

    async def delete_token(request: web.Request) -> web.Response:
        user = request_user(request)
        key_id = request.match_info["token_id"]
        auth = request.app[AUTH]
        owned = {t.id for t in await auth.long_lived_tokens(user.name)}
        if key_id not in owned and user.role is not Role.ADMIN:
            raise ApiError(404, "token_not_found", f"token {key_id} not found")
        if await auth.remove_long_lived_token(key_id) is None:
            raise ApiError(404, "token_not_found", f"token {key_id} not found")
        return json_response({"message": f"Token {key_id} revoked."})

    register(
        "POST",
        "/api/auth/login",
        login,
        role="public",
        openapi=operation(
            "Log in with a password: access token (short-lived) and refresh token",
            response=_TOKENS_JSON,
            body={
                **_string_props(
                    "username", "password", "client_name", required=("username", "password")
                )
            },
            errors={
                "400": "Invalid body",
                "401": "Wrong user name or password",
                "429": "Locked out after repeated failures",
            },
        ),
    )
    register(
        "POST",
        "/api/auth/token",
        token,
        role="public",
        openapi=operation(
            "Exchange a refresh token for a new access token",
            response=_TOKENS_JSON,
            body={
                "type": "object",
                "required": ["grant_type", "refresh_token"],
                "properties": {
                    "grant_type": {"const": "refresh_token"},
                    "refresh_token": {"type": "string", "minLength": 1},
                },
            },
            errors={"400": "Invalid body", "401": "Unknown or revoked refresh token"},
        ),
    )
    register(
        "POST",
        "/api/auth/revoke",
        revoke,
        role="public",
        openapi=operation(
            "Revoke a refresh token (with its access tokens) or a long-lived token",
            response=MESSAGE,
            body=_string_props("token"),
            errors={"400": "Invalid body"},
        ),
    )
    register("GET", "/api/auth/me", me, openapi=operation("The calling user", response=USER))
    register(
        "GET",
        "/api/auth/long_lived_tokens",
        list_tokens,
        openapi=operation(
            "The caller's long-lived tokens (admins: ?all for everybody's)",
            response={"type": "array", "items": TOKEN_INFO},
        ),
    )
    register(
        "POST",
        "/api/auth/long_lived_tokens",
        create_token,
        openapi=operation(
            "Create a long-lived token for the caller (shown once)",
            response={**TOKEN_INFO},
            status="201",
            body=_string_props("name"),
            errors={"400": "Invalid body", "409": "Name already used"},
        ),
    )
    register(
        "DELETE",
        "/api/auth/long_lived_tokens/{token_id}",
        delete_token,
        openapi=operation(
            "Revoke a long-lived token (own, or any for admins)",
            response=MESSAGE,
            errors={"404": "Unknown token"},
        ),
    )
