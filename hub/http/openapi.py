"""The OpenAPI 3.1 document, built from the route table so it always matches the routes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from hub.http.roles import DEVICE_ROUTE, PUBLIC_ROUTE
from hub.http.routing import RouteSpec

_PARAM_RE: Final = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")

ERROR_SCHEMA: Final = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


_USER_ERRORS: Final = {
    "401": _error("Missing, invalid or expired token"),
    "403": _error("The user's role does not allow this"),
    "429": _error("Too many unauthenticated requests"),
}


def json_body(schema: Mapping[str, Any], *, required: bool = True) -> dict[str, Any]:
    """An OpenAPI ``requestBody`` of JSON matching ``schema``."""
    return {"required": required, "content": {"application/json": {"schema": dict(schema)}}}


def json_ok(schema: Mapping[str, Any], description: str = "OK") -> dict[str, Any]:
    """An OpenAPI response of JSON matching ``schema``."""
    return {"description": description, "content": {"application/json": {"schema": dict(schema)}}}


def operation(
    summary: str,
    *,
    response: Mapping[str, Any] | None = None,
    body: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    status: str = "200",
    parameters: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """A compact way to write an operation object: summary, JSON body and responses."""
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {
            status: json_ok(response or {}) if response is not None else {"description": "OK"}
        },
    }
    if body is not None:
        op["requestBody"] = json_body(body)
    for code, description in (errors or {}).items():
        op["responses"][code] = _error(description)
    params = [dict(p) for p in parameters]
    if params:
        op["parameters"] = params
    return op


def openapi_path(path: str) -> str:
    """An aiohttp path with ``{name:regex}`` parameters as an OpenAPI path."""
    return _PARAM_RE.sub(lambda m: "{" + m.group(1) + "}", path)


def _operation_for(spec: RouteSpec) -> dict[str, Any]:
    op: dict[str, Any] = {k: v for k, v in spec.openapi.items()}
    op.setdefault("summary", f"{spec.method} {spec.path}")
    op.setdefault("operationId", _operation_id(spec))
    op.setdefault("tags", [spec.source])
    op.setdefault("responses", {"200": {"description": "OK"}})
    responses = dict(op["responses"])
    op["responses"] = responses
    if spec.role in (PUBLIC_ROUTE, DEVICE_ROUTE):
        op.setdefault("security", [])
    else:
        op["x-fieldhub-role"] = spec.role
        for code, response in _USER_ERRORS.items():
            responses.setdefault(code, response)
    declared = {p.get("name") for p in op.get("parameters", ()) if p.get("in") == "path"}
    params = list(op.get("parameters", ()))
    for name in _PARAM_RE.findall(spec.path):
        if name not in declared:
            params.append(
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            )
    if params:
        op["parameters"] = params
    return op


def _operation_id(spec: RouteSpec) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", openapi_path(spec.path)).strip("_")
    return f"{spec.source}_{spec.method.lower()}_{words}"


def build_document(routes: Iterable[RouteSpec], *, title: str, version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document describing ``routes``."""
    paths: dict[str, dict[str, Any]] = {}
    for spec in routes:
        paths.setdefault(openapi_path(spec.path), {})[spec.method.lower()] = _operation_for(spec)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "Fieldhub REST API. WebSocket API at /api/websocket (see docs/api.md).",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR_SCHEMA},
        },
        "security": [{"bearer": []}],
    }
