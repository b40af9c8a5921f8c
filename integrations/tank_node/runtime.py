"""What the integration keeps while it is set up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

from hub.api import HubKey

from .discovered import DiscoveredNodes
from .session import TankSessions


@dataclass(slots=True)
class TankNodeRuntime:
    """Discovered nodes, sessions, the HTTP client for pairing, and the YAML section."""

    config: dict[str, Any]
    discovered: DiscoveredNodes
    sessions: TankSessions
    client: aiohttp.ClientSession


RUNTIME: HubKey[TankNodeRuntime] = HubKey("tank_node")
