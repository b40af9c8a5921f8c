"""What the integration keeps while it is set up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

from hub.api import HubKey

from .discovered import DiscoveredNodes
from .session import TankSessions
from .simulate import SimulatedFleet


@dataclass(slots=True)
class TankNodeRuntime:
    """Discovered nodes, sessions, the pairing HTTP client, simulators, and the YAML section."""

    config: dict[str, Any]
    discovered: DiscoveredNodes
    sessions: TankSessions
    client: aiohttp.ClientSession
    fleet: SimulatedFleet


RUNTIME: HubKey[TankNodeRuntime] = HubKey("tank_node")
