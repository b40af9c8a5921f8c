"""REST routes of the core's plugin surface: the UI panels integrations declare."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web

from hub.plugins.panels import collect_panels

if TYPE_CHECKING:
    from hub.core.hub import Hub


def register_http_views(hub: Hub, register: Callable[..., None]) -> None:
    """``GET /api/panels``: navigation entries from ``fieldhub_register_ui_panels``."""
    panels = collect_panels(hub.plugins)

    async def get_panels(request: web.Request) -> web.Response:
        return web.json_response([panel.as_dict() for panel in panels])

    register(
        "GET",
        "/api/panels",
        get_panels,
        role="viewer",
        openapi={
            "summary": "Web UI panels that integrations add to the navigation",
            "responses": {"200": {"description": "a list of panels"}},
        },
    )
