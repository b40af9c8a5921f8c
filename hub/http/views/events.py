"""``/api/events``: listener counts, and (admin) firing custom events."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from aiohttp import web

from hub.core import events as core_events
from hub.http.errors import ApiError, json_response
from hub.http.keys import request_context
from hub.http.openapi import operation
from hub.http.request import read_json
from hub.http.views.schemas import MESSAGE, OBJECT

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.routing import Register

_EVENT_TYPE_RE: Final = re.compile(r"^[a-z0-9_.\-]{1,64}$")
RESERVED_EVENTS: Final = frozenset(
    value
    for name, value in vars(core_events).items()
    if name.startswith("EVENT_") and isinstance(value, str)
) | {core_events.MATCH_ALL}
"""The core's own events: their data has a fixed shape, so the API may not fire them."""


def register_http_views(hub: Hub, register: Register) -> None:
    """Register the event routes."""

    async def listeners(_request: web.Request) -> web.Response:
        counts = hub.bus.listener_counts()
        return json_response(
            [{"event": name, "listener_count": count} for name, count in sorted(counts.items())]
        )

    async def fire(request: web.Request) -> web.Response:
        event_type = request.match_info["event_type"]
        if not _EVENT_TYPE_RE.match(event_type):
            raise ApiError(
                400, "invalid_event_type", "event types are 1-64 of a-z, 0-9, '_', '.', '-'"
            )
        if event_type in RESERVED_EVENTS:
            raise ApiError(400, "reserved_event", f"{event_type} is fired by the hub only")
        data = await read_json(request)
        if not isinstance(data, dict):
            raise ApiError(400, "invalid_input", "event data must be a JSON object")
        hub.bus.fire(event_type, data, request_context(request))
        return json_response({"message": f"Event {event_type} fired."})

    register(
        "GET",
        "/api/events",
        listeners,
        openapi=operation("Listener count per event type", response={"type": "array"}),
    )
    register(
        "POST",
        "/api/events/{event_type}",
        fire,
        role="admin",
        openapi=operation(
            "Fire a custom event",
            response=MESSAGE,
            body=OBJECT,
            errors={"400": "Invalid or reserved event type, or invalid data"},
        ),
    )
