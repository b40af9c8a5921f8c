"""MQTT: broker connection (or a built-in broker), YAML and discovered entities, services,
the ``mqtt`` automation trigger. Hook implementations only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub.api import Hub, hookimpl

from .lifecycle import setup_mqtt, unload_mqtt
from .schema import CONFIG_SCHEMA
from .trigger import register_triggers


@hookimpl
def fieldhub_config_schema() -> Any:
    """The ``mqtt:`` section."""
    return CONFIG_SCHEMA


@hookimpl
async def fieldhub_setup(hub: Hub, config: Any) -> None:
    """Connect and create the configured entities."""
    await setup_mqtt(hub, config)


@hookimpl
async def fieldhub_unload(hub: Hub) -> None:
    """Disconnect and stop the built-in broker."""
    await unload_mqtt(hub)


@hookimpl
def fieldhub_register_triggers(register: Callable[..., None]) -> None:
    """The ``mqtt`` trigger platform."""
    register_triggers(register)
