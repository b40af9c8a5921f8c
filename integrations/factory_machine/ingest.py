"""``POST /api/ingest``: machines push readings with their own API key.

Status codes: 200 with per-reading results (some readings may be refused: ``refused`` lists
each index with its field errors); 422 when every reading was refused; 400 for a body that is
not JSON or has no accepted shape; 401 for a missing, unknown or revoked key; 403 when the
body names another machine than the key's; 413 for a batch over ``max_batch``; 429 with
``Retry-After`` when the machine exceeds its rate (readings per second, token bucket).
"""

from __future__ import annotations

import math
from typing import Any

import orjson
from aiohttp import web

from hub.api import bearer_token

from .payload import PayloadError, split_body
from .runtime import RUNTIME, FactoryRuntime


def error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    """The hub's error shape ``{"error": {"code", "message"}}``."""
    return web.Response(
        body=orjson.dumps({"error": {"code": code, "message": message}}),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def json(data: Any, status: int = 200) -> web.Response:
    """A JSON response."""
    return web.Response(body=orjson.dumps(data), status=status, content_type="application/json")


class IngestView:
    """The ingest handler, bound to a hub."""

    def __init__(self, runtime_of: Any) -> None:
        self._runtime_of = runtime_of

    async def post(self, request: web.Request) -> web.Response:
        """Authenticate the machine, validate and apply its readings."""
        runtime: FactoryRuntime | None = self._runtime_of()
        if runtime is None:
            return error(503, "not_set_up", "factory_machine is not set up")
        token = bearer_token(request)
        verified = None if token is None else runtime.keys.verify(token)
        if verified is None:
            message = "missing device key" if token is None else "unknown or revoked device key"
            return error(
                401, "unauthorized", message, {"WWW-Authenticate": 'Bearer realm="ingest"'}
            )
        machine_id, _key_id = verified
        try:
            body = orjson.loads(await request.read())
            named, items = split_body(body)
        except orjson.JSONDecodeError as err:
            return error(400, "invalid_json", f"the body is not valid JSON: {err}")
        except PayloadError as err:
            return error(400, "invalid_payload", str(err))
        if named is not None and named != machine_id:
            return error(403, "forbidden", f"this key belongs to {machine_id}, not {named}")
        machine = runtime.registry.get(machine_id)
        if machine is None:
            return error(403, "unknown_machine", f"{machine_id} is not configured")
        if len(items) > runtime.max_batch:
            return error(
                413, "batch_too_large", f"at most {runtime.max_batch} readings per request"
            )
        wait = runtime.buckets.take(machine_id, len(items), runtime.hub.clock.time())
        if wait > 0:
            return error(
                429,
                "too_many_requests",
                f"rate limit of {runtime.buckets.rate:g} readings/s exceeded",
                {"Retry-After": str(max(1, math.ceil(wait)))},
            )
        result = runtime.ingest(machine, items)
        status = 422 if items and not (result.accepted or result.duplicates) else 200
        return json({"machine": machine_id, **result.as_dict()}, status)


OPENAPI_INGEST: dict[str, Any] = {
    "summary": "Push machine readings (device API key as bearer token)",
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"type": "object", "properties": {"readings": {"type": "array"}}},
                        {"type": "object", "properties": {"ts": {}, "values": {"type": "object"}}},
                        {"type": "array"},
                        {"type": "object"},
                    ]
                }
            }
        }
    },
    "responses": {
        "200": {"description": "Accepted, duplicate and refused readings by index"},
        "400": {"description": "Not JSON or no accepted shape"},
        "401": {"description": "Missing, unknown or revoked device key"},
        "403": {"description": "The body names another machine than the key's"},
        "413": {"description": "Too many readings in one request"},
        "422": {"description": "Every reading was refused"},
        "429": {"description": "Rate limit exceeded; see Retry-After"},
    },
}


def runtime_getter(hub: Any) -> Any:
    """A callable returning the hub's factory runtime (or None)."""
    return lambda: hub.data.get(RUNTIME)
