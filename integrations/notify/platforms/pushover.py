"""Pushover push, with emergency-priority receipts that acknowledge alerts.

An emergency message (priority 2) repeats on the phone until someone acknowledges it.
Pushover returns a receipt, polled here no faster than every 5 s; once acknowledged, the
hub's ``alert.acknowledge`` service (if present) is called for the alert ids in the
notification data, and ``notify_receipt_acknowledged`` is fired.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from hub.api import Hub

from ..const import (
    ALERT_ACKNOWLEDGE_SERVICE,
    ALERT_DOMAIN,
    ATTR_ALERT_ID,
    ATTR_ALERT_IDS,
    EVENT_RECEIPT_ACKNOWLEDGED,
)
from ..model import DeliveryError, Notification
from ..queue import clock_sleep
from ..redact import LOGGER
from ..schema import PUSHOVER_MIN_POLL
from .http_client import HTTP_SESSION, request

MAX_MESSAGE = 1024
MAX_TITLE = 250
EMERGENCY = 2


def alert_ids(data: Mapping[str, Any]) -> list[str]:
    """The alert ids a notification is about."""
    ids = [str(i) for i in data.get(ATTR_ALERT_IDS) or []]
    single = data.get(ATTR_ALERT_ID)
    if single and str(single) not in ids:
        ids.insert(0, str(single))
    return ids


class PushoverSender:
    """Sends to one user (or group) key."""

    def __init__(self, hub: Hub, options: Mapping[str, Any]) -> None:
        self._hub = hub
        self._options = options
        self._base = options["api_url"].rstrip("/")
        self._pollers: set[asyncio.Task[None]] = set()

    def form(self, notification: Notification) -> dict[str, str]:
        """The request form for ``notification``."""
        options, data = self._options, notification.data
        priority = int(data.get("priority", options["priority"]))
        form = {
            "token": options["token"],
            "user": options["user_key"],
            "message": notification.message[:MAX_MESSAGE] or "-",
            "priority": str(priority),
        }
        if notification.title:
            form["title"] = notification.title[:MAX_TITLE]
        for key in ("device", "sound"):
            value = data.get(key, options.get(key))
            if value:
                form[key] = str(value)
        if priority == EMERGENCY:
            form["retry"] = str(options["retry"])
            form["expire"] = str(options["expire"])
        return form

    async def send(self, notification: Notification) -> int:
        """Send; for an emergency message start watching its receipt."""
        session = self._hub.data[HTTP_SESSION]
        response = await request(
            session, "POST", f"{self._base}/1/messages.json", data=self.form(notification)
        )
        reply = response.json() or {}
        if reply.get("status") != 1:
            errors = "; ".join(reply.get("errors") or ["unexpected reply"])
            raise DeliveryError(f"Pushover refused the message: {errors}", permanent=True)
        receipt = reply.get("receipt")
        if receipt:
            task = self._hub.create_task(
                self._watch(str(receipt), notification), name=f"notify:pushover:{receipt}"
            )
            self._pollers.add(task)
            task.add_done_callback(self._pollers.discard)
        return response.status

    async def _watch(self, receipt: str, notification: Notification) -> None:
        interval = max(PUSHOVER_MIN_POLL, float(self._options["receipt_poll_interval"]))
        url = f"{self._base}/1/receipts/{receipt}.json"
        session = self._hub.data[HTTP_SESSION]
        while True:
            await clock_sleep(self._hub.clock, interval)
            try:
                reply = (
                    await request(session, "GET", url, params={"token": self._options["token"]})
                ).json() or {}
            except (DeliveryError, OSError, TimeoutError) as err:
                LOGGER.warning("Polling Pushover receipt for %s failed: %s", notification.id, err)
                continue
            if reply.get("acknowledged") == 1:
                await self._acknowledged(receipt, notification, reply)
                return
            if reply.get("expired") == 1:
                LOGGER.info("Pushover receipt for %s expired unacknowledged", notification.id)
                return

    async def _acknowledged(
        self, receipt: str, notification: Notification, reply: Mapping[str, Any]
    ) -> None:
        ids = alert_ids(notification.data)
        by = reply.get("acknowledged_by")
        LOGGER.info("Pushover message %s acknowledged (alerts: %s)", notification.id, ids)
        self._hub.bus.fire(
            EVENT_RECEIPT_ACKNOWLEDGED,
            {
                "target": notification.target,
                "receipt": receipt,
                "alert_ids": ids,
                "acknowledged_by": by,
                "acknowledged_at": reply.get("acknowledged_at"),
            },
        )
        if not self._hub.services.has(ALERT_DOMAIN, ALERT_ACKNOWLEDGE_SERVICE):
            return
        for alert_id in ids:
            try:
                await self._hub.services.call(
                    ALERT_DOMAIN, ALERT_ACKNOWLEDGE_SERVICE, {"alert_id": alert_id}
                )
            except Exception as err:  # another integration's service: report, carry on
                LOGGER.warning("Acknowledging alert %s failed: %s", alert_id, err)

    async def close(self) -> None:
        """Stop polling receipts."""
        for task in list(self._pollers):
            task.cancel()
        await asyncio.gather(*self._pollers, return_exceptions=True)


def factory(hub: Hub, options: Mapping[str, Any]) -> PushoverSender:
    """Build a Pushover sender."""
    return PushoverSender(hub, options)
