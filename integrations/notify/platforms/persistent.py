"""In-app notifications: persistent notices shown in the UI until dismissed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.api import Hub

from ..const import ATTR_NOTIFICATION_ID
from ..model import Notification


class PersistentSender:
    """Stores each notification as a notice (``data.notification_id`` replaces one)."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub

    async def send(self, notification: Notification) -> None:
        """Create or replace the notice."""
        notice_id = notification.data.get(ATTR_NOTIFICATION_ID) or notification.id
        await self._hub.notices.create(
            notification.title or "Notification",
            notification.message,
            source="notify",
            notice_id=str(notice_id),
        )


def factory(hub: Hub, options: Mapping[str, Any]) -> PersistentSender:
    """Build the in-app sender."""
    return PersistentSender(hub)
