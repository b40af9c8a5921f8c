"""``/api/users`` (admin): list, create and remove users."""

from __future__ import annotations

from typing import TYPE_CHECKING

import voluptuous as vol
from aiohttp import web

from hub.http.errors import ApiError, json_response
from hub.http.keys import AUTH, request_user
from hub.http.openapi import operation
from hub.http.request import read_json
from hub.http.roles import Role
from hub.http.users import UserError
from hub.http.views.schemas import MESSAGE, USER

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.routing import Register

_NEW_USER = vol.Schema(
    {
        vol.Required("name"): vol.All(str, vol.Length(min=1, max=64)),
        vol.Required("role"): vol.In([r.value for r in Role]),
        vol.Required("password"): vol.All(str, vol.Length(min=8, max=1024)),
        vol.Optional("sites", default=list): [vol.All(str, vol.Length(min=1, max=64))],
    }
)


def register_http_views(hub: Hub, register: Register) -> None:
    """Register the user-management routes."""

    async def list_users(request: web.Request) -> web.Response:
        return json_response([u.as_dict() for u in await request.app[AUTH].users()])

    async def add_user(request: web.Request) -> web.Response:
        data = await read_json(request, _NEW_USER)
        try:
            user = await request.app[AUTH].add_user(
                data["name"], Role(data["role"]), data["password"], data["sites"]
            )
        except UserError as err:
            raise ApiError(409 if "exists" in str(err) else 400, "invalid_user", str(err)) from err
        return json_response(user.as_dict(), status=201)

    async def remove_user(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name == request_user(request).name:
            raise ApiError(400, "invalid_user", "you cannot remove yourself")
        if await request.app[AUTH].remove_user(name) is None:
            raise ApiError(404, "user_not_found", f"user {name} not found")
        return json_response({"message": f"User {name} removed."})

    register(
        "GET",
        "/api/users",
        list_users,
        role="admin",
        openapi=operation("Every user", response={"type": "array", "items": USER}),
    )
    register(
        "POST",
        "/api/users",
        add_user,
        role="admin",
        openapi=operation(
            "Create a user",
            response=USER,
            status="201",
            body={
                "type": "object",
                "required": ["name", "role", "password"],
                "properties": {
                    "name": {"type": "string"},
                    "role": {"enum": [r.value for r in Role]},
                    "password": {"type": "string", "minLength": 8},
                    "sites": {"type": "array", "items": {"type": "string"}},
                },
            },
            errors={"400": "Invalid body", "409": "Name taken"},
        ),
    )
    register(
        "DELETE",
        "/api/users/{name}",
        remove_user,
        role="admin",
        openapi=operation(
            "Remove a user and their tokens", response=MESSAGE, errors={"404": "Unknown user"}
        ),
    )
