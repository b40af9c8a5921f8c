"""Fixtures for the factory machine tests: the integration on a hub behind a real HTTP server."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import pytest_asyncio

import integrations.factory_machine as factory_machine
from hub.core.clock import ManualClock
from hub.core.hub import Hub
from hub.core.services_core import register_core_services
from hub.testing.http import HubClient, MakeHubClient
from integrations.factory_machine.runtime import RUNTIME, FactoryRuntime
from integrations.factory_machine.schema import CONFIG_SCHEMA

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = json.loads((ROOT / "integrations" / "factory_machine" / "manifest.json").read_text())

PRESS: dict[str, Any] = {
    "ideal_cycle_time": 60,
    "reporting_interval": 60,
    "max_gap": 300,
    "counter_width": 16,
    "sensors": [
        {
            "name": "temperature",
            "unit": "°C",
            "device_class": "temperature",
            "valid_range": [-40, 400],
            "expected_range": [None, 80],
            "baseline": 60,
        }
    ],
}


def site_config(**machines: dict[str, Any]) -> dict[str, Any]:
    """Two sites: ``north`` (the given machines in area ``press``) and ``south`` (one machine)."""
    return {
        "ingest": {"max_clock_skew": 10 * 365 * 86400},
        "sites": {
            "north": {"areas": {"press": {"machines": machines or {"p1": PRESS}}}},
            "south": {"areas": {"weld": {"machines": {"w1": PRESS}}}},
        },
    }


@dataclass
class FactoryEnv:
    """A hub with the integration set up and its HTTP API."""

    hub: Hub
    client: HubClient
    runtime: FactoryRuntime

    async def key(self, machine: str) -> str:
        """A fresh ingest token for ``machine``."""
        created = await self.runtime.keys.create(machine)
        return created.token

    async def ingest(self, token: str, body: Any) -> Any:
        """POST a body to the ingest endpoint with a device token."""
        return await self.client.request(
            "POST",
            "/api/ingest",
            role=None,
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )


NOW = 1_748_952_000.0
"""2025-06-03T12:00:00Z, a Tuesday: the manual clock's start."""


@pytest_asyncio.fixture
async def hub(config_dir: Path) -> AsyncIterator[Hub]:
    """A started hub core on a manual clock (overrides the plugin's ``hub``)."""
    instance = Hub(config_dir, clock=ManualClock(NOW))
    await instance.start_core()
    register_core_services(instance)
    instance.mark_started()
    try:
        yield instance
    finally:
        await instance.stop()


StartFactory = Callable[..., Awaitable[FactoryEnv]]


@pytest_asyncio.fixture
async def start_factory(
    hub: Hub, register_plugin: Callable[..., Any], make_hub_client: MakeHubClient
) -> StartFactory:
    """Set the integration up with a ``factory_machine:`` section and start HTTP."""

    async def start(section: dict[str, Any] | None = None) -> FactoryEnv:
        register_plugin(factory_machine, MANIFEST)
        config = CONFIG_SCHEMA(section if section is not None else site_config())
        assert await hub.integrations.setup("factory_machine", config)
        client = await make_hub_client()
        return FactoryEnv(hub, client, hub.data[RUNTIME])

    return start


@pytest.fixture(scope="session")
def factory_sim() -> ModuleType:
    """The simulator module from firmware/sim."""
    path = ROOT / "firmware" / "sim" / "factory_sim.py"
    spec = importlib.util.spec_from_file_location("factory_sim", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
