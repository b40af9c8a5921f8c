"""Sending alert notifications through ``notify.<name>`` services.

Each notifier name is a notify service, as in Home Assistant's ``notifiers`` list. A missing
service is logged and skipped; the next repeat interval tries again. Calls run as tracked
tasks, so a slow notifier never holds up the alert that triggered it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

from hub.core.context import Context
from hub.core.errors import HubError

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)

NOTIFY_DOMAIN: Final = "notify"

Kind = Literal["alert", "done"]


@dataclass(frozen=True, slots=True)
class Notification:
    """One message for one alert, to every notifier listed."""

    alert_id: str
    kind: Kind
    notifiers: tuple[str, ...]
    message: str
    title: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def service_data(self) -> dict[str, Any]:
        """The payload of each ``notify.<name>`` call (title and data only when set)."""
        payload: dict[str, Any] = {"message": self.message}
        if self.title:
            payload["title"] = self.title
        if self.data:
            payload["data"] = dict(self.data)
        return payload


class NotificationRouter:
    """Calls the notify services of a :class:`Notification`."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub

    def send(self, note: Notification, context: Context) -> int:
        """Start one call per available notifier; return how many were started."""
        started = 0
        payload = note.service_data()
        for name in note.notifiers:
            if not self._hub.services.has(NOTIFY_DOMAIN, name):
                _LOGGER.warning(
                    "Alert %s: notify.%s does not exist; trying again at the next interval",
                    note.alert_id,
                    name,
                )
                continue
            self._hub.create_task(
                self._call(note.alert_id, name, payload, context),
                name=f"alert:{note.alert_id}:notify.{name}",
            )
            started += 1
        return started

    async def _call(
        self, alert_id: str, name: str, payload: Mapping[str, Any], context: Context
    ) -> None:
        try:
            await self._hub.services.call(NOTIFY_DOMAIN, name, payload, context=context)
        except HubError as err:
            _LOGGER.warning("Alert %s: notify.%s failed: %s", alert_id, name, err)
        except Exception:
            _LOGGER.exception("Alert %s: notify.%s failed", alert_id, name)
