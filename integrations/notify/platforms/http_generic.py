"""A templated HTTP request, for SMS gateways and services without a platform of their own.

``url``, ``headers``, ``body``, ``form`` and ``json`` values are Jinja2 templates with the
variables ``title``, ``message``, ``data``, ``target``, ``id`` and ``recipient`` (one request
per entry of ``recipients``, or one request with ``recipient`` empty).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.api import Hub

from ..model import Notification
from ..templating import render
from .http_client import HTTP_SESSION, basic_auth, request
from .progress import Progress


class HttpSender:
    """Renders and sends one request per recipient."""

    def __init__(self, hub: Hub, options: Mapping[str, Any]) -> None:
        self._hub = hub
        self._options = options
        self._progress = Progress()

    def variables(self, notification: Notification, recipient: str) -> dict[str, Any]:
        """What the templates see."""
        message = notification.message
        limit = self._options.get("max_length")
        if limit is not None and len(message) > limit:
            message = message[: limit - 1] + "…"
        return {
            "title": notification.title or "",
            "message": message,
            "data": dict(notification.data),
            "target": notification.target,
            "id": notification.id,
            "recipient": recipient,
        }

    def build(self, notification: Notification, recipient: str) -> tuple[str, dict[str, Any]]:
        """The URL and the request keyword arguments for one recipient."""
        options = self._options
        variables = self.variables(notification, recipient)
        kwargs: dict[str, Any] = {
            "headers": {k: render(v, variables) for k, v in options["headers"].items()}
        }
        if "body" in options:
            kwargs["data"] = render(options["body"], variables).encode()
        elif "form" in options:
            kwargs["data"] = {k: render(v, variables) for k, v in options["form"].items()}
        elif "json" in options:
            kwargs["json"] = {k: render(v, variables) for k, v in options["json"].items()}
        if "username" in options:
            kwargs["headers"]["Authorization"] = basic_auth(
                options["username"], options.get("password", "")
            )
        if "token" in options:
            kwargs["headers"]["Authorization"] = f"Bearer {options['token']}"
        return render(options["url"], variables), kwargs

    async def send(self, notification: Notification) -> int:
        """Send the request(s)."""
        session = self._hub.data[HTTP_SESSION]
        status = 0
        for recipient in self._options["recipients"] or [""]:
            if self._progress.done(notification.id, recipient):
                continue
            url, kwargs = self.build(notification, recipient)
            response = await request(session, self._options["method"], url, **kwargs)
            self._progress.mark(notification.id, recipient)
            status = response.status
        self._progress.finish(notification.id)
        return status


def factory(hub: Hub, options: Mapping[str, Any]) -> HttpSender:
    """Build a generic HTTP sender."""
    return HttpSender(hub, options)
