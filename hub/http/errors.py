"""The API's error shape: ``{"error": {"code": ..., "message": ...}}`` with an HTTP status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from hub.core.jsonutil import dumps_bytes

JSON_CONTENT_TYPE = "application/json"


class ApiError(Exception):
    """Raise in a handler to answer with a structured error."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def json_response(data: Any, status: int = 200) -> web.Response:
    """A JSON response serialised with orjson."""
    return web.Response(body=dumps_bytes(data), status=status, content_type=JSON_CONTENT_TYPE)


def raw_json_response(body: bytes, status: int = 200) -> web.Response:
    """A response whose JSON body is already serialised."""
    return web.Response(body=body, status=status, content_type=JSON_CONTENT_TYPE)


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A structured error response."""
    response = json_response({"error": {"code": code, "message": message}}, status)
    response.headers.update(headers or {})
    return response


HTTP_ERROR_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}
