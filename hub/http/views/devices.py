"""``/api/devices``: list devices, and (admin) remove one with its entities and credentials."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from hub.http.errors import ApiError, json_response
from hub.http.keys import request_context
from hub.http.openapi import operation
from hub.http.views.schemas import OBJECT

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.routing import Register


def register_http_views(hub: Hub, register: Register) -> None:
    """Register the device routes."""

    async def list_devices(_request: web.Request) -> web.Response:
        devices = sorted(hub.device_registry.devices(), key=lambda d: (d.integration, d.name))
        return json_response([d.as_dict() for d in devices])

    async def remove(request: web.Request) -> web.Response:
        device_id = request.match_info["device_id"]
        if hub.device_registry.get(device_id) is None:
            raise ApiError(404, "device_not_found", f"device {device_id} not found")
        entry = await hub.device_registry.remove(device_id, context=request_context(request))
        return json_response({"removed": entry.as_dict()})

    register(
        "GET",
        "/api/devices",
        list_devices,
        openapi=operation("Registered devices", response={"type": "array"}),
    )
    register(
        "DELETE",
        "/api/devices/{device_id}",
        remove,
        role="admin",
        openapi=operation(
            "Remove a device: rows, entities, credentials; fires device_removed",
            response=OBJECT,
            errors={"404": "Unknown device"},
        ),
    )
