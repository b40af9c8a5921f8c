"""The ``automation.*`` services: trigger, turn_on, turn_off, toggle, reload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.automation import Automation
from hub.automation.const import DOMAIN
from hub.automation.engine import AutomationEngine
from hub.config import cv
from hub.core.errors import ServiceValidationError
from hub.core.services import ServiceCall

if TYPE_CHECKING:
    from hub.core.hub import Hub


def _targets(value: Any) -> list[str] | str:
    if isinstance(value, str) and value.strip().lower() == "all":
        return "all"
    return cv.entity_ids(value)


_TARGET: dict[Any, Any] = {vol.Required("entity_id"): _targets}
TRIGGER_SCHEMA = vol.Schema(
    {
        **_TARGET,
        vol.Optional("skip_condition", default=True): cv.boolean,
        vol.Optional("variables", default={}): dict,
    }
)
TURN_OFF_SCHEMA = vol.Schema({**_TARGET, vol.Optional("stop_actions", default=True): cv.boolean})
TARGET_SCHEMA = vol.Schema(_TARGET)


def selected(engine: AutomationEngine, data: Mapping[str, Any]) -> list[Automation]:
    """The automations a service call names (``entity_id: all`` for every one)."""
    wanted = data["entity_id"]
    if wanted == "all":
        return list(engine)
    found = []
    for key in wanted:
        automation = engine.get(key)
        if automation is None:
            raise ServiceValidationError(f"no automation {key}")
        found.append(automation)
    return found


def register_services(hub: Hub, engine: AutomationEngine) -> None:
    """Register the automation services on ``hub``."""

    async def trigger(call: ServiceCall) -> None:
        for automation in selected(engine, call.data):
            automation.trigger(
                {"platform": None, "description": "automation.trigger service"},
                context=call.context,
                skip_condition=call.data["skip_condition"],
                extra_variables=call.data["variables"],
            )

    async def turn_on(call: ServiceCall) -> None:
        for automation in selected(engine, call.data):
            await automation.turn_on()

    async def turn_off(call: ServiceCall) -> None:
        for automation in selected(engine, call.data):
            await automation.turn_off(stop_actions=call.data["stop_actions"])

    async def toggle(call: ServiceCall) -> None:
        for automation in selected(engine, call.data):
            if automation.enabled:
                await automation.turn_off()
            else:
                await automation.turn_on()

    async def reload(_call: ServiceCall) -> None:
        await engine.reload()

    services = hub.services
    services.register(
        DOMAIN,
        "trigger",
        trigger,
        TRIGGER_SCHEMA,
        description="Run an automation's actions now (conditions skipped unless asked)",
        fields={"entity_id": "automations or 'all'", "skip_condition": "default true"},
    )
    services.register(DOMAIN, "turn_on", turn_on, TARGET_SCHEMA, description="Enable")
    services.register(
        DOMAIN,
        "turn_off",
        turn_off,
        TURN_OFF_SCHEMA,
        description="Disable; stop_actions (default true) also cancels running actions",
    )
    services.register(DOMAIN, "toggle", toggle, TARGET_SCHEMA, description="Enable or disable")
    services.register(
        DOMAIN,
        "reload",
        reload,
        vol.Schema({}),
        description="Re-read automations from YAML; a bad file keeps the current set",
    )
