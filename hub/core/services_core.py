"""Services the core itself offers (``hub.reload``, ``hub.stop``, notices)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import voluptuous as vol

from hub.core.services import ServiceCall

if TYPE_CHECKING:
    from hub.core.hub import Hub

DOMAIN = "hub"


def register_core_services(hub: Hub) -> None:
    """Register the ``hub.*`` services."""

    async def reload(call: ServiceCall) -> None:
        await hub.integrations.reload(call.data["domain"])

    async def stop(_call: ServiceCall) -> None:
        hub.create_task(hub.stop(), name="hub.stop")

    async def create_notice(call: ServiceCall) -> None:
        await hub.notices.create(
            call.data.get("title", "Notice"),
            call.data["message"],
            source="service",
            notice_id=call.data.get("notice_id"),
        )

    async def dismiss_notice(call: ServiceCall) -> None:
        await hub.notices.dismiss(call.data["notice_id"])

    hub.services.register(
        DOMAIN,
        "reload",
        reload,
        vol.Schema({vol.Required("domain"): str}),
        description="Unload an integration, re-read its configuration and set it up again",
    )
    hub.services.register(DOMAIN, "stop", stop, vol.Schema({}), description="Stop the hub")
    hub.services.register(
        DOMAIN,
        "create_notice",
        create_notice,
        vol.Schema(
            {
                vol.Required("message"): str,
                vol.Optional("title"): str,
                vol.Optional("notice_id"): str,
            }
        ),
        description="Show a persistent notice in the UI",
    )
    hub.services.register(
        DOMAIN,
        "dismiss_notice",
        dismiss_notice,
        vol.Schema({vol.Required("notice_id"): str}),
        description="Dismiss a persistent notice",
    )
