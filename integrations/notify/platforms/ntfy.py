"""ntfy push: the message body POSTed to ``<server>/<topic>`` with headers for the rest."""

from __future__ import annotations

from collections.abc import Mapping
from email.header import Header
from typing import Any

from hub.api import Hub

from ..model import Notification
from .http_client import HTTP_SESSION, basic_auth, request

_SEVERITY_PRIORITY = {"critical": "urgent", "warning": "high", "info": "default"}


def header_value(text: str) -> str:
    """``text`` as an HTTP header value (RFC 2047 encoded when it is not plain ASCII)."""
    flat = " ".join(text.splitlines())
    try:
        flat.encode("ascii")
    except UnicodeEncodeError:
        return Header(flat, "utf-8").encode()
    return flat


class NtfySender:
    """Publishes to one topic."""

    def __init__(self, hub: Hub, options: Mapping[str, Any]) -> None:
        self._hub = hub
        self._options = options

    def headers(self, notification: Notification) -> dict[str, str]:
        """Title, priority, tags, click and auth headers."""
        options, data = self._options, notification.data
        headers: dict[str, str] = {}
        if notification.title:
            headers["Title"] = header_value(notification.title)
        priority = data.get("priority", options.get("priority"))
        if priority is None and data.get("severity") in _SEVERITY_PRIORITY:
            priority = _SEVERITY_PRIORITY[data["severity"]]
        if priority is not None:
            headers["Priority"] = str(priority)
        tags = [*options["tags"], *data.get("tags", [])]
        if tags:
            headers["Tags"] = ",".join(str(t) for t in tags)
        click = data.get("click", options.get("click"))
        if click:
            headers["Click"] = str(click)
        if "token" in options:
            headers["Authorization"] = f"Bearer {options['token']}"
        return headers

    async def send(self, notification: Notification) -> int:
        """Publish the message."""
        options = self._options
        headers = self.headers(notification)
        if "username" in options:
            headers["Authorization"] = basic_auth(options["username"], options.get("password", ""))
        url = f"{options['url'].rstrip('/')}/{options['topic']}"
        response = await request(
            self._hub.data[HTTP_SESSION],
            "POST",
            url,
            data=notification.message.encode(),
            headers=headers,
        )
        return response.status


def factory(hub: Hub, options: Mapping[str, Any]) -> NtfySender:
    """Build an ntfy sender."""
    return NtfySender(hub, options)
