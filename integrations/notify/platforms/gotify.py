"""Gotify push: ``POST /message`` with an application token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.api import Hub

from ..model import Notification
from .http_client import HTTP_SESSION, request


class GotifySender:
    """Sends to one Gotify application."""

    def __init__(self, hub: Hub, options: Mapping[str, Any]) -> None:
        self._hub = hub
        self._options = options

    async def send(self, notification: Notification) -> int:
        """Post the message."""
        options = self._options
        payload: dict[str, Any] = {
            "message": notification.message,
            "priority": int(notification.data.get("priority", options["priority"])),
        }
        if notification.title:
            payload["title"] = notification.title
        response = await request(
            self._hub.data[HTTP_SESSION],
            "POST",
            f"{options['url'].rstrip('/')}/message",
            json=payload,
            headers={"X-Gotify-Key": options["token"]},
        )
        return response.status


def factory(hub: Hub, options: Mapping[str, Any]) -> GotifySender:
    """Build a Gotify sender."""
    return GotifySender(hub, options)
