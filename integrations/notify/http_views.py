"""REST views: targets, the delivery log, and a test send."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from hub.api import Hub

from .notifier import UnknownTarget
from .runtime import RUNTIME, NotifyRuntime
from .store import STATUSES, DeliveryQuery

_MAX_LIMIT = 1000

_TARGETS_DOC = {
    "summary": "Notify targets",
    "description": "Every target with its platform, state, pending count and last error.",
    "responses": {"200": {"description": "The targets."}},
}
_DELIVERIES_DOC = {
    "summary": "Notification delivery log",
    "parameters": [
        {"name": "target", "in": "query", "schema": {"type": "string"}},
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUSES)}},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": _MAX_LIMIT}},
    ],
    "responses": {"200": {"description": "Deliveries, newest first, with their attempts."}},
}
_TEST_DOC = {
    "summary": "Send a test notification",
    "parameters": [
        {"name": "target", "in": "path", "required": True, "schema": {"type": "string"}}
    ],
    "responses": {
        "202": {"description": "Queued; the body holds the delivery id."},
        "404": {"description": "No such target."},
    },
}


def _runtime(hub: Hub) -> NotifyRuntime:
    runtime = hub.data.get(RUNTIME)
    if runtime is None:
        raise web.HTTPServiceUnavailable(reason="notify is not set up")
    return runtime


def _json(runtime: NotifyRuntime, payload: Any, status: int = 200) -> web.Response:
    return web.json_response(runtime.notifier.redact.mapping(payload), status=status)


def register_http_views(hub: Hub, register: Callable[..., None]) -> None:
    """Register the notify routes with the hub's web server."""

    async def targets(request: web.Request) -> web.Response:
        runtime = _runtime(hub)
        return _json(runtime, {"targets": [t.as_dict() for t in runtime.notifier.targets()]})

    async def deliveries(request: web.Request) -> web.Response:
        runtime = _runtime(hub)
        query = request.query
        status = query.get("status") or None
        if status is not None and status not in STATUSES:
            raise web.HTTPBadRequest(reason=f"status must be one of {', '.join(STATUSES)}")
        try:
            limit = min(_MAX_LIMIT, max(1, int(query.get("limit", "100"))))
        except ValueError:
            raise web.HTTPBadRequest(reason="limit must be a whole number") from None
        rows = await runtime.notifier.log.query(
            DeliveryQuery(target=query.get("target") or None, status=status, limit=limit)
        )
        return _json(runtime, {"deliveries": rows})

    async def test(request: web.Request) -> web.Response:
        runtime = _runtime(hub)
        name = request.match_info["target"]
        body: dict[str, Any] = {}
        if request.can_read_body:
            try:
                body = dict(await request.json())
            except (ValueError, TypeError):
                raise web.HTTPBadRequest(reason="expected a JSON object") from None
        message = str(body.get("message") or f"Test notification for {name} from Fieldhub.")
        try:
            delivery = await runtime.notifier.enqueue(
                name, message, title=str(body.get("title") or "Fieldhub test"), data={"test": True}
            )
        except UnknownTarget as err:
            raise web.HTTPNotFound(reason=str(err)) from None
        return _json(runtime, {"delivery_id": delivery.id, "status": delivery.status}, 202)

    register("GET", "/api/notify/targets", targets, role="viewer", openapi=_TARGETS_DOC)
    register("GET", "/api/notify/deliveries", deliveries, role="viewer", openapi=_DELIVERIES_DOC)
    register("POST", "/api/notify/test/{target}", test, role="admin", openapi=_TEST_DOC)
