"""The HTTP session the built-in platforms share, and one request helper."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from hub.api import HubKey

from ..policy import http_status_error

HTTP_SESSION: HubKey[aiohttp.ClientSession] = HubKey("notify.http_session")
"""Set by the notify integration while it is set up."""

_BODY_IN_ERROR = 200


def basic_auth(user: str, password: str) -> str:
    """An ``Authorization`` header value for HTTP Basic auth."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@dataclass(frozen=True, slots=True)
class Response:
    """A successful (2xx) response."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON (``None`` if it is not JSON)."""
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


async def request(session: aiohttp.ClientSession, method: str, url: str, **kwargs: Any) -> Response:
    """Send one request without following redirects; raise ``DeliveryError`` unless 2xx."""
    async with session.request(method, url, allow_redirects=False, **kwargs) as response:
        body = await response.read()
        error = http_status_error(
            response.status, response.reason or "", response.headers, time.time()
        )
        if error is not None:
            snippet = body[:_BODY_IN_ERROR].decode("utf-8", "replace").strip()
            if snippet:
                error.args = (f"{error.args[0]}: {snippet}",)
            raise error
        return Response(response.status, dict(response.headers), body)
