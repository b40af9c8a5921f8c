"""``tank_node.set_config``: change a paired tank's settings and push them to the node."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol

from hub.api import Hub, ServiceCall, ServiceValidationError, cv

from .const import (
    CONF_MAC,
    CONF_SHAPE,
    CONF_SIMULATE,
    CONF_TANKS,
    DEVICE_DATA_TANK,
    DOMAIN,
    SERVICE_SET_CONFIG,
)
from .runtime import RUNTIME
from .schema import TANK_SETTINGS_SCHEMA, tank_settings

SET_CONFIG_SCHEMA = vol.Schema({vol.Required("device_id"): cv.string}, extra=vol.ALLOW_EXTRA)


def merged_settings(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """New settings: ``changes`` over ``current``; a new ``shape`` replaces them all."""
    if CONF_SHAPE in changes and changes[CONF_SHAPE] != current.get(CONF_SHAPE):
        return dict(changes)
    return {**current, **changes}


def _yaml_macs(config: Mapping[str, Any]) -> set[str]:
    return {entry[CONF_MAC] for key in (CONF_TANKS, CONF_SIMULATE) for entry in config[key]}


async def set_config(hub: Hub, call: ServiceCall) -> bool:
    """Validate and store the new settings; True when the node was online to receive them."""
    runtime = hub.data.get(RUNTIME)
    if runtime is None:
        raise ServiceValidationError("tank_node is not set up")
    device_id = call.data["device_id"]
    device = hub.device_registry.get(device_id)
    tank = runtime.sessions.tank(device_id)
    if device is None or device.integration != DOMAIN or tank is None:
        raise ServiceValidationError(f"{device_id} is not a paired tank node")
    macs = {value for kind, value in device.identifiers if kind == "mac"}
    if macs & _yaml_macs(runtime.config):
        raise ServiceValidationError(
            f"{device.name} is configured in YAML (tank_node); edit it there and run "
            "`hub reload tank_node`"
        )
    changes = {k: v for k, v in call.data.items() if k != "device_id"}
    stored = device.data.get(DEVICE_DATA_TANK)
    current = dict(stored) if isinstance(stored, Mapping) else {}
    try:
        section = TANK_SETTINGS_SCHEMA(merged_settings(current, changes))
    except vol.Invalid as err:
        path = " → ".join(str(p) for p in err.path)
        raise ServiceValidationError(f"{path}: {err.msg}" if path else err.msg) from err
    settings = tank_settings(section)
    await hub.device_registry.update(device_id, data={**device.data, DEVICE_DATA_TANK: settings})
    tank.reconfigure(section)
    return await runtime.sessions.push_config(device_id)


def register_services(hub: Hub) -> None:
    """Register ``tank_node.set_config``."""

    async def handle(call: ServiceCall) -> None:
        await set_config(hub, call)

    hub.services.register(
        DOMAIN,
        SERVICE_SET_CONFIG,
        handle,
        SET_CONFIG_SCHEMA,
        description=(
            "Change a paired tank's geometry, mounting or report interval and send the new "
            "tank-config to the node (the fields of a tanks: entry; a new shape replaces all)"
        ),
        fields={"device_id": "the tank node's device id"},
    )
