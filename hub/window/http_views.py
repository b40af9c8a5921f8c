"""REST view of the telemetry window: recent points and rolling statistics."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from hub.window.component import WINDOW

if TYPE_CHECKING:
    from collections.abc import Callable

    from hub.core.hub import Hub


def _float_param(request: web.Request, name: str, default: float) -> float:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        message = f"{name} must be a number"
        raise web.HTTPBadRequest(
            text=json.dumps({"error": {"code": "invalid_parameter", "message": message}}),
            content_type="application/json",
        ) from None


def register_http_views(hub: Hub, register: Callable[..., None]) -> None:
    """``GET /api/window/{entity_id}?start=&end=&max_points=`` with statistics."""

    async def get_window(request: web.Request) -> web.Response:
        window = hub.data.get(WINDOW)
        entity_id = request.match_info["entity_id"]
        if window is None or window.latest(entity_id) is None:
            return web.json_response(
                {
                    "error": {
                        "code": "not_found",
                        "message": f"no recent numeric data for {entity_id}",
                    }
                },
                status=404,
            )
        end = _float_param(request, "end", time.time())
        start = _float_param(request, "start", end - 3600)
        max_points = int(_float_param(request, "max_points", 1000))
        points = window.range(entity_id, start, end, max_points=max(2, max_points))
        stats = window.stats(entity_id, start, end)
        body: dict[str, Any] = {
            "entity_id": entity_id,
            "points": [[ts, value] for ts, value in points],
            "stats": None
            if stats is None
            else {
                "count": stats.count,
                "mean": stats.mean,
                "min": stats.min,
                "max": stats.max,
                "first": stats.first,
                "last": stats.last,
                "rate_per_s": stats.rate_per_s,
            },
        }
        return web.json_response(body)

    register(
        "GET",
        "/api/window/{entity_id}",
        get_window,
        role="viewer",
        openapi={
            "summary": "Recent points and statistics of a numeric entity (last 24 h, in memory)",
            "parameters": [
                {"name": "entity_id", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "start", "in": "query", "schema": {"type": "number"}},
                {"name": "end", "in": "query", "schema": {"type": "number"}},
                {"name": "max_points", "in": "query", "schema": {"type": "integer"}},
            ],
            "responses": {
                "200": {"description": "points and stats"},
                "404": {"description": "no data"},
            },
        },
    )
