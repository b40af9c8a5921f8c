"""Fixtures for the tank node tests: the integration on a real hub behind its HTTP server."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import pytest_asyncio
from tank_helpers import TankHub

import integrations.tank_node as tank_node
from hub.core.hub import Hub
from hub.testing.http import MakeHubClient

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = json.loads((ROOT / "integrations" / "tank_node" / "manifest.json").read_text())


def _load_sim() -> ModuleType:
    loaded = sys.modules.get("tank_node_sim")
    if loaded is not None:
        return loaded
    path = ROOT / "firmware" / "sim" / "tank_node_sim.py"
    spec = importlib.util.spec_from_file_location("tank_node_sim", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def sim() -> ModuleType:
    """The node simulator module."""
    return _load_sim()


StartTankHub = Callable[..., Awaitable[TankHub]]


@pytest_asyncio.fixture
async def tank_hub_factory(
    hub: Hub, register_plugin: Callable[..., Any], make_hub_client: MakeHubClient
) -> AsyncIterator[StartTankHub]:
    """``await tank_hub_factory(config)``: set tank_node up with ``config``, then start the
    hub's HTTP server (roles enforced) with admin, operator and viewer tokens."""

    async def start(config: dict[str, Any] | None = None) -> TankHub:
        register_plugin(tank_node, MANIFEST)
        section = tank_node.CONFIG_SCHEMA(config or {})
        assert await hub.integrations.setup("tank_node", section)
        return TankHub(hub, await make_hub_client())

    yield start
    if hub.integrations.status.get("tank_node") is not None:
        await hub.integrations.unload_all()


@pytest_asyncio.fixture
async def tank_hub(tank_hub_factory: StartTankHub) -> TankHub:
    """tank_node with an empty section."""
    return await tank_hub_factory()
