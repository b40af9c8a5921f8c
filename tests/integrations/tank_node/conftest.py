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
from integrations.tank_node.schema import CONFIG_SCHEMA

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
Config = dict[str, Any] | Callable[[str], dict[str, Any]] | None


@pytest_asyncio.fixture
async def tank_hub_factory(
    hub: Hub, register_plugin: Callable[..., Any], make_hub_client: MakeHubClient
) -> AsyncIterator[StartTankHub]:
    """``await tank_hub_factory(config)``: start the hub's HTTP server (roles enforced; admin,
    operator and viewer tokens), then set tank_node up with ``config`` (a section, or a
    function of the server's base URL returning one)."""

    async def start(config: Config = None) -> TankHub:
        register_plugin(tank_node, MANIFEST)
        client = await make_hub_client()
        raw = config(client.base_url) if callable(config) else config
        if not await hub.integrations.setup("tank_node", CONFIG_SCHEMA(raw or {})):
            raise AssertionError(hub.integrations.status["tank_node"].error)
        return TankHub(hub, client)

    yield start
    if hub.integrations.status.get("tank_node") is not None:
        await hub.integrations.unload_all()


@pytest_asyncio.fixture
async def tank_hub(tank_hub_factory: StartTankHub) -> TankHub:
    """tank_node with an empty section."""
    return await tank_hub_factory()
