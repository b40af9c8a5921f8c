"""``/api/states``: read every state or one, and (admin) set one directly."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import voluptuous as vol
from aiohttp import web

from hub.core.state import MAX_STATE_LENGTH, valid_entity_id
from hub.http.errors import ApiError, raw_json_response
from hub.http.keys import STATE_JSON, request_context
from hub.http.openapi import operation
from hub.http.request import read_json
from hub.http.views.schemas import STATE, STATE_LIST

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.routing import Register

_SET_STATE = vol.Schema(
    {
        vol.Required("state"): vol.All(str, vol.Length(max=MAX_STATE_LENGTH)),
        vol.Optional("attributes", default=dict): {str: object},
        vol.Optional("force_update", default=False): bool,
    }
)
_SET_STATE_JSON: dict[str, Any] = {
    "type": "object",
    "required": ["state"],
    "properties": {
        "state": {"type": "string", "maxLength": MAX_STATE_LENGTH},
        "attributes": {"type": "object"},
        "force_update": {"type": "boolean"},
    },
}


def _entity_id(request: web.Request) -> str:
    entity_id = request.match_info["entity_id"]
    if not valid_entity_id(entity_id):
        raise ApiError(
            400,
            "invalid_entity_id",
            f"invalid entity id {entity_id!r}: use <platform>.<object_id> in lowercase",
        )
    return entity_id


def register_http_views(hub: Hub, register: Register) -> None:
    """Register the state routes."""

    async def all_states(request: web.Request) -> web.Response:
        cache = request.app[STATE_JSON]
        return raw_json_response(cache.encode_list(hub.states.all()))

    async def one_state(request: web.Request) -> web.Response:
        entity_id = _entity_id(request)
        state = hub.states.get(entity_id)
        if state is None:
            raise ApiError(404, "entity_not_found", f"entity {entity_id} not found")
        return raw_json_response(request.app[STATE_JSON].encode(state))

    async def set_state(request: web.Request) -> web.Response:
        entity_id = _entity_id(request)
        data = await read_json(request, _SET_STATE)
        existed = entity_id in hub.states
        state = hub.states.set(
            entity_id,
            data["state"],
            data["attributes"],
            force_update=data["force_update"],
            context=request_context(request),
        )
        response = raw_json_response(
            request.app[STATE_JSON].encode(state), status=200 if existed else 201
        )
        response.headers["Location"] = f"/api/states/{entity_id}"
        return response

    not_found = {"400": "Invalid entity id", "404": "Unknown entity"}
    register("GET", "/api/states", all_states, openapi=operation("All states", response=STATE_LIST))
    register(
        "GET",
        "/api/states/{entity_id}",
        one_state,
        openapi=operation("One entity's state", response=STATE, errors=not_found),
    )
    register(
        "POST",
        "/api/states/{entity_id}",
        set_state,
        role="admin",
        openapi={
            **operation(
                "Set a state and its attributes directly",
                response=STATE,
                body=_SET_STATE_JSON,
                errors={"400": "Invalid entity id or body", "413": "Body too large"},
            ),
            "responses": {
                "200": {
                    "description": "Updated",
                    "content": {"application/json": {"schema": STATE}},
                },
                "201": {
                    "description": "Created",
                    "content": {"application/json": {"schema": STATE}},
                },
                "400": {"description": "Invalid entity id or body"},
                "413": {"description": "Body too large"},
            },
        },
    )
