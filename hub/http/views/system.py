"""Plugins, persistent notices and Prometheus metrics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from hub.core.metrics import hub_metrics
from hub.http.errors import ApiError, json_response
from hub.http.openapi import operation
from hub.http.views.schemas import MESSAGE

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.routing import Register

PROMETHEUS_CONTENT_TYPE = "text/plain"


def register_http_views(hub: Hub, register: Register) -> None:
    """Register the plugin, notice and metrics routes."""

    async def plugins(_request: web.Request) -> web.Response:
        return json_response([info.as_dict() for info in hub.plugins.plugins()])

    async def notices(_request: web.Request) -> web.Response:
        return json_response([n.as_dict() for n in hub.notices.all()])

    async def dismiss(request: web.Request) -> web.Response:
        notice_id = request.match_info["notice_id"]
        if not await hub.notices.dismiss(notice_id):
            raise ApiError(404, "notice_not_found", f"notice {notice_id} not found")
        return json_response({"message": f"Notice {notice_id} dismissed."})

    async def metrics(_request: web.Request) -> web.Response:
        return web.Response(
            text=hub_metrics(hub).render(),
            content_type=PROMETHEUS_CONTENT_TYPE,
            headers={"X-Content-Type-Options": "nosniff"},
        )

    register(
        "GET",
        "/api/plugins",
        plugins,
        openapi=operation("Installed plugins: name, version, hooks", response={"type": "array"}),
    )
    register(
        "GET",
        "/api/notices",
        notices,
        openapi=operation("Persistent notices", response={"type": "array"}),
    )
    register(
        "DELETE",
        "/api/notices/{notice_id}",
        dismiss,
        role="operator",
        openapi=operation("Dismiss a notice", response=MESSAGE, errors={"404": "Unknown notice"}),
    )
    register(
        "GET",
        "/api/metrics",
        metrics,
        openapi={
            "summary": "Metrics in Prometheus text format",
            "responses": {
                "200": {
                    "description": "Prometheus exposition format 0.0.4",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                }
            },
        },
    )
