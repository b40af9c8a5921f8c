"""Fixtures for the tank node tests: the integration on a real hub behind a real HTTP server."""

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
from aiohttp import web
from tank_helpers import TankHub

import integrations.tank_node as tank_node
from hub.core.hub import Hub
from hub.testing.network import free_port

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = json.loads((ROOT / "integrations" / "tank_node" / "manifest.json").read_text())


def _load_sim() -> ModuleType:
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


async def serve_routes(hub: Hub) -> tuple[web.AppRunner, str, list[tuple[str, str, str]]]:
    """Serve every route the plugins register (roles are the HTTP server's concern)."""
    app = web.Application()
    routes = []
    for _plugin, args, kwargs in hub.plugins.collect("fieldhub_register_http_views", hub=hub):
        method, path, handler = args
        app.router.add_route(method, path, handler)
        routes.append((method, path, kwargs.get("role", "viewer")))
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}", routes


StartTankHub = Callable[..., Awaitable[TankHub]]


@pytest_asyncio.fixture
async def tank_hub_factory(
    hub: Hub, register_plugin: Callable[..., Any]
) -> AsyncIterator[StartTankHub]:
    """``await tank_hub_factory(config)``: set tank_node up with ``config`` and serve it."""
    runners: list[web.AppRunner] = []

    async def start(config: dict[str, Any] | None = None) -> TankHub:
        register_plugin(tank_node, MANIFEST)
        section = tank_node.CONFIG_SCHEMA(config or {})
        assert await hub.integrations.setup("tank_node", section)
        runner, url, routes = await serve_routes(hub)
        runners.append(runner)
        return TankHub(hub, url, routes)

    yield start
    for runner in reversed(runners):
        await runner.cleanup()
    if hub.integrations.status.get("tank_node") is not None:
        await hub.integrations.unload_all()


@pytest_asyncio.fixture
async def tank_hub(tank_hub_factory: StartTankHub) -> TankHub:
    """tank_node with an empty section."""
    return await tank_hub_factory()
