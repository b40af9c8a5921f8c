"""``hub sim tank-node``: run simulated nodes (the simulator lives in ``firmware/sim``)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp

from hub.api import load_simulator_module

from .const import PATH_PAIR

SIMULATOR = Path(__file__).resolve().parents[2] / "firmware" / "sim" / "tank_node_sim.py"
DEFAULT_TANK: dict[str, Any] = {
    "shape": "vertical_cylinder",
    "diameter_mm": 1200,
    "height_mm": 1500,
    "blind_zone_mm": 230,
    "report_interval": 5,
}


def load_simulator(path: Path = SIMULATOR) -> ModuleType | None:
    """Import the simulator from a source checkout; None when it is not there (blocking)."""
    return load_simulator_module("tank_node_sim", path)


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``hub sim tank-node``."""
    parser.add_argument("--count", type=int, default=1, help="number of nodes (default 1)")
    parser.add_argument("--hub", help="pair the nodes with this hub, e.g. http://127.0.0.1:8123")
    parser.add_argument("--token", help="operator access token for --hub")
    parser.add_argument("--interval", type=float, help="report every N seconds (default: hub's)")
    parser.add_argument("--start-mm", type=float, default=800.0, help="initial level in mm")
    parser.add_argument("--rate", type=float, default=-50.0, help="level change in mm/h")
    parser.add_argument(
        "--interface", action="append", help="mDNS interface address (default 127.0.0.1)"
    )


async def _pair_all(hub_url: str, token: str | None, nodes: list[Any]) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession(headers=headers) as session:
        for node in nodes:
            body = {
                "host": node.host,
                "port": node.port,
                "mac": node.mac,
                "name": node.instance_name,
                "tank": DEFAULT_TANK,
            }
            async with session.post(hub_url.rstrip("/") + PATH_PAIR, json=body) as response:
                print(f"pair {node.mac}: {response.status} {await response.text()}")


async def run(args: argparse.Namespace) -> int:
    """Start the nodes (and pair them with ``--hub``); run until interrupted."""
    sim = load_simulator()
    if sim is None:
        print(
            f"error: the tank node simulator was not found at {SIMULATOR}; "
            "run this command from a Fieldhub source checkout",
            file=sys.stderr,
        )
        return 2
    profile = sim.Profile(start_mm=args.start_mm, rate_mm_per_h=args.rate)
    async with sim.running_nodes(
        args.count, profile=profile, interval_s=args.interval, interfaces=args.interface
    ) as nodes:
        for node in nodes:
            print(f"{node.instance_name} {node.mac} config server http://{node.host}:{node.port}")
        if args.hub:
            await _pair_all(args.hub, args.token, nodes)
        await asyncio.Event().wait()
    return 0


def register_commands(register: Callable[..., None]) -> None:
    """Register ``hub sim tank-node``."""
    register("sim tank-node", "run simulated tank nodes", configure, run)
