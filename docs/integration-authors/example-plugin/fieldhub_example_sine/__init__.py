"""Example Fieldhub integration: one sine-wave sensor."""

from hub.api import Hub, hookimpl

from .schema import CONFIG_SCHEMA
from .sensor import SineSensor

DOMAIN = "example_sine"


@hookimpl
def fieldhub_config_schema():
    return CONFIG_SCHEMA


@hookimpl
async def fieldhub_setup(hub: Hub, config: dict) -> None:
    await hub.entities.add(DOMAIN, [SineSensor(hub, config)])


@hookimpl
async def fieldhub_unload(hub: Hub) -> None:
    """Entities are removed by the hub; nothing else to release."""
