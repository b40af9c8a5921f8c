"""``GET /api/`` (health), ``GET /api/config`` and the OpenAPI document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from hub import __version__
from hub.http.errors import json_response
from hub.http.keys import ROUTES
from hub.http.openapi import build_document, operation
from hub.http.views.schemas import OBJECT

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.routing import Register


def describe_config(hub: Hub) -> dict[str, Any]:
    """The hub's configuration as ``GET /api/config`` and ``get_config`` show it."""
    settings = hub.settings
    return {
        "name": settings.name,
        "site_id": settings.site_id,
        "time_zone": settings.time_zone,
        "unit_system": str(settings.unit_system),
        "version": __version__,
        "state": hub.run_state.value,
        "config_dir": str(hub.config_dir),
        "sections": sorted(hub.config),
        "integrations": hub.plugins.names(),
    }


def register_http_views(hub: Hub, register: Register) -> None:
    """Register the root routes."""

    async def health(_request: web.Request) -> web.Response:
        return json_response({"message": "API running.", "version": __version__})

    async def config(_request: web.Request) -> web.Response:
        return json_response(describe_config(hub))

    async def openapi(request: web.Request) -> web.Response:
        document = build_document(
            request.app[ROUTES].routes(), title="Fieldhub API", version=__version__
        )
        return json_response(document)

    register(
        "GET",
        "/api/",
        health,
        openapi=operation(
            "Health and version",
            response={
                "type": "object",
                "properties": {"message": {"type": "string"}, "version": {"type": "string"}},
            },
        ),
    )
    register("GET", "/api/config", config, openapi=operation("Hub configuration", response=OBJECT))
    register(
        "GET",
        "/api/openapi.json",
        openapi,
        role="public",
        openapi=operation("This OpenAPI document", response=OBJECT),
    )
