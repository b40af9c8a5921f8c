"""REST routes for automations: list, details, traces, trigger, enable/disable, config.

The hub comes in through ``register_http_views``'s closure; the engine is looked up at
request time, so the routes answer 404 until the automation component has started.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from hub.automation.automation import Automation
from hub.automation.config_store import ConfigWriteError, save_automation, to_editable
from hub.automation.engine import ENGINE, AutomationEngine
from hub.http.errors import ApiError, json_response
from hub.http.keys import request_context
from hub.http.openapi import operation

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.routing import Register

_PATH = "/api/automations/{automation_id}"
_ID = {
    "name": "automation_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "The automation's YAML id (or its entity's object id)",
}
_SUMMARY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "entity_id": {"type": "string"},
        "alias": {"type": "string"},
        "state": {"type": "string", "enum": ["on", "off"]},
        "last_triggered": {"type": ["string", "null"], "format": "date-time"},
        "mode": {"type": "string"},
        "current": {"type": "integer"},
    },
}
_OBJECT: dict[str, Any] = {"type": "object"}
_NOT_FOUND = {"404": "No automation with this id"}


def register_http_views(hub: Hub, register: Register) -> None:
    """Register the automation routes."""

    def engine() -> AutomationEngine:
        found = hub.data.get(ENGINE)
        if found is None:
            raise ApiError(404, "automations_not_loaded", "the automation engine is not running")
        return found

    def automation(request: web.Request) -> Automation:
        key = request.match_info["automation_id"]
        found = engine().get(key)
        if found is None:
            raise ApiError(404, "automation_not_found", f"no automation '{key}'")
        return found

    async def body(request: web.Request) -> dict[str, Any]:
        if not request.can_read_body:
            return {}
        try:
            data = await request.json()
        except ValueError:
            raise ApiError(400, "invalid_json", "the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise ApiError(400, "invalid_body", "expected a JSON object")
        return data

    async def list_all(_request: web.Request) -> web.Response:
        return json_response([item.summary() for item in engine()])

    async def details(request: web.Request) -> web.Response:
        item = automation(request)
        return json_response(
            {**item.summary(), "traces": [trace.summary() for trace in reversed(list(item.traces))]}
        )

    async def traces(request: web.Request) -> web.Response:
        item = automation(request)
        return json_response([trace.as_dict() for trace in reversed(list(item.traces))])

    async def trigger(request: web.Request) -> web.Response:
        item = automation(request)
        data = await body(request)
        variables = data.get("variables") or {}
        if not isinstance(variables, dict):
            raise ApiError(400, "invalid_body", "'variables' must be an object")
        trace = item.trigger(
            {"platform": None, "description": "REST API"},
            context=request_context(request),
            skip_condition=bool(data.get("skip_condition", True)),
            extra_variables=variables,
        )
        return json_response(trace.summary())

    async def enable(request: web.Request) -> web.Response:
        item = automation(request)
        await item.turn_on()
        return json_response(item.summary())

    async def disable(request: web.Request) -> web.Response:
        item = automation(request)
        await item.turn_off()
        return json_response(item.summary())

    async def get_config(request: web.Request) -> web.Response:
        return json_response(to_editable(automation(request).config.raw))

    async def put_config(request: web.Request) -> web.Response:
        key = request.match_info["automation_id"]
        data = await body(request)
        try:
            await save_automation(engine(), key, data)
        except ConfigWriteError as err:
            raise ApiError(400, "invalid_config", "\n".join(err.messages)) from None
        saved = engine().get(key)
        return json_response(saved.summary() if saved is not None else {"id": key})

    params = [_ID]
    register(
        "GET",
        "/api/automations",
        list_all,
        openapi=operation("Automations", response={"type": "array", "items": _SUMMARY}),
    )
    register(
        "GET",
        _PATH,
        details,
        openapi=operation(
            "One automation with its recent runs",
            response=_SUMMARY,
            errors=_NOT_FOUND,
            parameters=params,
        ),
    )
    register(
        "GET",
        f"{_PATH}/traces",
        traces,
        openapi=operation(
            "The last runs of an automation, newest first, each with its steps",
            response={"type": "array", "items": _OBJECT},
            errors=_NOT_FOUND,
            parameters=params,
        ),
    )
    register(
        "POST",
        f"{_PATH}/trigger",
        trigger,
        role="operator",
        openapi=operation(
            "Run an automation now; body {skip_condition: bool (default true), variables: {}}",
            body=_OBJECT,
            response=_OBJECT,
            errors=_NOT_FOUND,
            parameters=params,
        ),
    )
    for verb, handler in (("enable", enable), ("disable", disable)):
        register(
            "POST",
            f"{_PATH}/{verb}",
            handler,
            role="operator",
            openapi=operation(
                f"{verb.capitalize()} an automation",
                response=_SUMMARY,
                errors=_NOT_FOUND,
                parameters=params,
            ),
        )
    register(
        "GET",
        f"{_PATH}/config",
        get_config,
        role="admin",
        openapi=operation(
            "An automation as written in YAML (secrets shown as their !secret tag)",
            response=_OBJECT,
            errors=_NOT_FOUND,
            parameters=params,
        ),
    )
    register(
        "PUT",
        f"{_PATH}/config",
        put_config,
        role="admin",
        openapi=operation(
            "Validate an automation, write it to its YAML file and reload",
            body=_OBJECT,
            response=_SUMMARY,
            errors={"400": "Invalid automation (file:line messages)"},
            parameters=params,
        ),
    )
