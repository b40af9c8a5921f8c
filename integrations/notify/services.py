"""The services of the integration: ``notify.<target>``, ``notify.send``, ``notify.alert``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol

from hub.api import Hub, ServiceCall, cv

from .const import (
    DOMAIN,
    PERSISTENT_TARGET,
    SERVICE_ALERT,
    SERVICE_PERSISTENT_ALIAS,
)
from .notifier import Notifier
from .routing import AlertUpdate, Router
from .schema import ALERT_SERVICE_SCHEMA, MESSAGE_SERVICE_SCHEMA
from .templating import render

SEND_SCHEMA = MESSAGE_SERVICE_SCHEMA.extend(
    {vol.Required("target"): vol.All(cv.ensure_list, vol.Length(min=1), [cv.string])}
)
_FIELDS = {
    "message": "Text of the notification (a template).",
    "title": "Optional title (a template).",
    "data": "Platform extras: html, priority, tags, alert_id, notification_id…",
}


async def _queue(notifier: Notifier, targets: list[str], data: Mapping[str, Any]) -> dict[str, Any]:
    extra = dict(data.get("data") or {})
    ids = []
    for name in targets:
        variables = {**extra, "data": extra, "target": name}
        title = render(data["title"], variables) if data.get("title") else None
        message = render(data["message"], variables)
        delivery = await notifier.enqueue(name, message, title=title, data=extra)
        ids.append({"target": name, "delivery_id": delivery.id, "status": delivery.status})
    return {"deliveries": ids}


def register_services(hub: Hub, notifier: Notifier, router: Router) -> None:
    """Register every service; the calls return once messages are queued."""
    for target in notifier.targets():

        async def send_to(call: ServiceCall, name: str = target.name) -> dict[str, Any]:
            return await _queue(notifier, [name], call.data)

        hub.services.register(
            DOMAIN,
            target.name,
            send_to,
            MESSAGE_SERVICE_SCHEMA,
            description=f"Send a notification to {target.name} ({target.config.platform}).",
            fields=_FIELDS,
            supports_response=True,
        )
        if target.name == PERSISTENT_TARGET:
            hub.services.register(
                DOMAIN,
                SERVICE_PERSISTENT_ALIAS,
                send_to,
                MESSAGE_SERVICE_SCHEMA,
                description="Show a notification in the app until it is dismissed.",
                fields=_FIELDS,
                supports_response=True,
            )

    async def send(call: ServiceCall) -> dict[str, Any]:
        return await _queue(notifier, list(call.data["target"]), call.data)

    hub.services.register(
        DOMAIN,
        "send",
        send,
        SEND_SCHEMA,
        description="Send a notification to one or more targets by name.",
        fields={**_FIELDS, "target": "Target name or list of names."},
        supports_response=True,
    )

    def alert(call: ServiceCall) -> None:
        data = call.data
        router.handle(
            AlertUpdate(
                alert_id=data["alert_id"],
                severity=data["severity"],
                state=data["state"],
                title=data.get("title") or data["alert_id"],
                message=data["message"],
                data=dict(data["data"]),
            )
        )

    hub.services.register(
        DOMAIN,
        SERVICE_ALERT,
        alert,
        ALERT_SERVICE_SCHEMA,
        description="Route an alert change (firing, resolved, acknowledged) to its targets.",
        fields={
            "alert_id": "Identifies the alert.",
            "severity": "critical, warning or info.",
            "state": "firing, resolved or acknowledged.",
            "title": "Short text.",
            "message": "Details.",
        },
    )
