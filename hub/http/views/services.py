"""``/api/services``: list services, call one (returns the states it changed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from aiohttp import web

from hub.core.bus import Event
from hub.core.errors import HubError, ServiceNotFound, ServiceValidationError, Unauthorized
from hub.core.events import EVENT_STATE_CHANGED
from hub.core.services import ServiceRegistry, humanize_invalid
from hub.core.state import State
from hub.http.errors import ApiError, json_response
from hub.http.guard import require_role
from hub.http.keys import request_context, request_user
from hub.http.openapi import operation
from hub.http.request import query_flag, read_json
from hub.http.roles import Role
from hub.http.views.schemas import OBJECT, STATE_LIST

if TYPE_CHECKING:
    from hub.core.context import Context
    from hub.core.hub import Hub
    from hub.http.routing import Register

ADMIN_DOMAINS: Final = frozenset({"hub"})
"""Service domains only admins may call (stopping and reloading the hub)."""


def service_role(domain: str) -> Role:
    """The least role that may call services of ``domain``."""
    return Role.ADMIN if domain.lower() in ADMIN_DOMAINS else Role.OPERATOR


def describe_services(services: ServiceRegistry) -> list[dict[str, Any]]:
    """Services by domain, as ``GET /api/services`` and the WebSocket API list them."""
    return [
        {
            "domain": domain,
            "services": {
                name: {
                    "description": service.description,
                    "fields": dict(service.fields),
                    "supports_response": service.supports_response,
                }
                for name, service in sorted(entries.items())
            },
        }
        for domain, entries in sorted(services.services().items())
    ]


async def call_service(
    hub: Hub,
    domain: str,
    service: str,
    data: Any,
    context: Context,
    *,
    return_response: bool,
) -> tuple[list[State], Any]:
    """Call a service; return the states it changed and its response.

    Raises :class:`ApiError` with the right status for each failure.
    """
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_input", "service data must be a JSON object")
    changed: dict[str, State] = {}

    def collect(event: Event) -> None:
        new = event.data.get("new_state")
        if isinstance(new, State) and (
            new.context is context or new.context.parent_id == context.id
        ):
            changed[new.entity_id] = new

    unsub = hub.bus.listen(EVENT_STATE_CHANGED, collect)
    try:
        response = await hub.services.call(
            domain, service, data, context=context, return_response=return_response
        )
    except ServiceNotFound as err:
        raise ApiError(404, "service_not_found", str(err)) from err
    except ServiceValidationError as err:
        raise ApiError(400, "invalid_service_data", str(err)) from err
    except Unauthorized as err:
        raise ApiError(403, "forbidden", str(err)) from err
    except vol.Invalid as err:
        raise ApiError(400, "invalid_service_data", humanize_invalid(err)) from err
    except HubError as err:
        raise ApiError(400, "service_error", str(err)) from err
    finally:
        unsub()
    return list(changed.values()), response


def register_http_views(hub: Hub, register: Register) -> None:
    """Register the service routes."""

    async def list_services(_request: web.Request) -> web.Response:
        return json_response(describe_services(hub.services))

    async def call(request: web.Request) -> web.Response:
        domain = request.match_info["domain"]
        service = request.match_info["service"]
        require_role(request_user(request), service_role(domain))
        data = await read_json(request)
        return_response = query_flag(request, "return_response")
        changed, response = await call_service(
            hub, domain, service, data, request_context(request), return_response=return_response
        )
        states = [s.as_dict() for s in changed]
        if return_response:
            return json_response({"changed_states": states, "service_response": response})
        return json_response(states)

    register(
        "GET",
        "/api/services",
        list_services,
        openapi=operation("Registered services by domain", response={"type": "array"}),
    )
    register(
        "POST",
        "/api/services/{domain}/{service}",
        call,
        role="operator",
        openapi=operation(
            "Call a service (hub.* services need the admin role)",
            response={"oneOf": [STATE_LIST, OBJECT]},
            body=OBJECT,
            errors={
                "400": "Invalid service data",
                "404": "Unknown service",
                "413": "Body too large",
            },
            parameters=[
                {
                    "name": "return_response",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "present: answer {changed_states, service_response}",
                }
            ],
        ),
    )
