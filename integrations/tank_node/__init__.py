"""Tank node: ultrasonic tank-level nodes found over mDNS, paired, and connected over WebSocket."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp

from hub.api import Hub, ZeroconfDiscovery, hookimpl

from .cli import register_commands
from .const import CONF_HUB_URL, CONF_MAC, CONF_SIMULATE, CONF_TANKS
from .discovered import DiscoveredNodes
from .ota import register_ota_service
from .runtime import RUNTIME, TankNodeRuntime
from .schema import CONFIG_SCHEMA, tank_settings
from .services import register_services
from .session import TankSessions
from .simulate import SimulatedFleet, default_hub_url
from .views import register_views


@hookimpl
def fieldhub_config_schema() -> Any:
    """The ``tank_node:`` section (see :mod:`.schema`)."""
    return CONFIG_SCHEMA


@hookimpl
async def fieldhub_setup(hub: Hub, config: Any) -> None:
    """Load paired nodes and their entities; start accepting sessions and the simulators."""
    section: dict[str, Any] = CONFIG_SCHEMA(config) if config is None else config
    entries = [*section[CONF_TANKS], *section[CONF_SIMULATE]]
    yaml_tanks = {tank[CONF_MAC]: tank_settings(tank) for tank in entries}
    sessions = TankSessions(hub, yaml_tanks)
    client = aiohttp.ClientSession()
    discovered = DiscoveredNodes()
    fleet = SimulatedFleet(
        hub,
        section[CONF_SIMULATE],
        hub_url=section.get(CONF_HUB_URL) or default_hub_url(hub),
        discovered=discovered,
        sessions=sessions,
        client=client,
    )
    runtime = TankNodeRuntime(section, discovered, sessions, client, fleet)
    hub.data[RUNTIME] = runtime
    try:
        await sessions.load()
        register_services(hub)
        register_ota_service(hub)
        await fleet.start()
    except BaseException:
        await _close(hub.data.pop(RUNTIME))
        raise


async def _close(runtime: TankNodeRuntime | None) -> None:
    if runtime is not None:
        await runtime.fleet.stop()
        await runtime.sessions.close()
        await runtime.client.close()


@hookimpl
async def fieldhub_unload(hub: Hub) -> None:
    """Stop the simulators, close node sessions and the pairing client."""
    await _close(hub.data.pop(RUNTIME))


@hookimpl
def fieldhub_zeroconf_discovered(hub: Hub, discovery: ZeroconfDiscovery) -> None:
    """Remember an advertising node so it can be offered for pairing."""
    runtime = hub.data.get(RUNTIME)
    if runtime is not None:
        runtime.discovered.handle(discovery)


@hookimpl
def fieldhub_register_http_views(hub: Hub, register: Callable[..., None]) -> None:
    """Scan, discovered list, pairing, and the node WebSocket."""
    register_views(hub, register)


@hookimpl
def fieldhub_register_cli_commands(register: Callable[..., None]) -> None:
    """``hub sim tank-node``: simulated nodes for demos and tests."""
    register_commands(register)
