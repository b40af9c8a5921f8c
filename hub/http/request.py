"""Reading requests: bearer tokens, JSON bodies validated by voluptuous schemas."""

from __future__ import annotations

from typing import Any

import orjson
import voluptuous as vol
from aiohttp import web

from hub.core.services import humanize_invalid
from hub.http.errors import ApiError


def bearer_token(request: web.Request) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def read_json(request: web.Request, schema: vol.Schema | None = None) -> Any:
    """The request body parsed as JSON (an empty body reads as ``{}``) and validated.

    Raises :class:`ApiError` 400 for malformed JSON or data the schema refuses; a body
    over the configured size limit raises 413 while reading.
    """
    raw = await request.read()
    data: Any = {}
    if raw.strip():
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as err:
            raise ApiError(400, "invalid_json", f"the body is not valid JSON: {err}") from err
    if schema is None:
        return data
    try:
        return schema(data)
    except vol.Invalid as err:
        raise ApiError(400, "invalid_input", humanize_invalid(err)) from err


def query_flag(request: web.Request, name: str) -> bool:
    """True if query parameter ``name`` is present and not ``0``/``false``."""
    if name not in request.query:
        return False
    return request.query[name].lower() not in ("0", "false", "no", "off")
