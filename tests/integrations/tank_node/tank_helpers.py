"""Shared values for the tank node tests."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hub.core.hub import Hub
from hub.testing.http import ApiResult, HubClient

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
    """A hub with tank_node set up, served by its HTTP server through ``client``."""

    hub: Hub
    client: HubClient

    @property
    def base_url(self) -> str:
        """The HTTP server's root URL."""
        return self.client.base_url

    @property
    def ws_url(self) -> str:
        """The node WebSocket URL."""
        return self.base_url.replace("http://", "ws://") + "/api/tank_node/ws"

    async def post(self, path: str, body: Any, role: str | None = "operator") -> ApiResult:
        """POST ``body`` as JSON with the token of ``role``."""
        return await self.client.request("POST", path, role=role, json=body)


async def eventually(predicate: Callable[[], bool], limit_s: float = 5.0) -> None:
    """Wait until ``predicate()`` holds, failing after ``limit_s`` seconds.

    Polls: the conditions are states of other tasks (sockets, the simulator) with no event.
    """
    async with asyncio.timeout(limit_s):
        while not predicate():
            await asyncio.sleep(0.01)


def local_mac(index: int) -> str:
    """A locally administered MAC unique to this test process and ``index`` (0–255).

    Simulated nodes advertise over real mDNS, where a name taken by a concurrent test run
    would be refused.
    """
    pid = os.getpid()
    octets = [0x02, (pid >> 24) & 0xFF, (pid >> 16) & 0xFF, (pid >> 8) & 0xFF, pid & 0xFF, index]
    return ":".join(f"{octet:02x}" for octet in octets)
