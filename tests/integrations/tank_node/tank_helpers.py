"""Shared values for the tank node tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from hub.core.hub import Hub

TANK = {
    "shape": "vertical_cylinder",
    "diameter_mm": 1000,
    "height_mm": 1500,
    "sensor_offset_mm": 0,
    "blind_zone_mm": 200,
    "report_interval": 5,
}


@dataclass
class TankHub:
    """A hub with tank_node set up and its routes served on ``base_url``."""

    hub: Hub
    base_url: str
    routes: list[tuple[str, str, str]]

    @property
    def ws_url(self) -> str:
        """The node WebSocket URL."""
        return self.base_url.replace("http://", "ws://") + "/api/tank_node/ws"


async def eventually(predicate: Callable[[], bool], limit_s: float = 5.0) -> None:
    """Wait until ``predicate()`` holds, failing after ``limit_s`` seconds.

    Polls: the conditions are states of other tasks (sockets, the simulator) with no event.
    """
    async with asyncio.timeout(limit_s):
        while not predicate():
            await asyncio.sleep(0.01)
