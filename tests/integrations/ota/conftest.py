"""Fixtures for the OTA tests: ota (and tank_node) set up on a hub behind its HTTP server."""

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
from ota_helpers import MODEL, PROJECT, SLOT, OtaHub, Publisher

import integrations.ota as ota
import integrations.tank_node as tank_node
from hub.core.hub import Hub
from hub.testing.http import MakeHubClient
from integrations.ota.runtime import RUNTIME
from integrations.ota.schema import CONFIG_SCHEMA as OTA_SCHEMA
from integrations.tank_node.schema import CONFIG_SCHEMA as TANK_SCHEMA

ROOT = Path(__file__).resolve().parents[3]
OTA_MANIFEST = json.loads((ROOT / "integrations" / "ota" / "manifest.json").read_text())
TANK_MANIFEST = json.loads((ROOT / "integrations" / "tank_node" / "manifest.json").read_text())


@pytest.fixture(scope="session")
def sim() -> ModuleType:
    """The node simulator module."""
    path = ROOT / "firmware" / "sim" / "tank_node_sim.py"
    spec = importlib.util.spec_from_file_location("tank_node_sim", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def publisher() -> Publisher:
    """The publisher whose key the hub and the nodes trust."""
    return Publisher.new()


StartOtaHub = Callable[..., Awaitable[OtaHub]]


@pytest_asyncio.fixture
async def ota_hub_factory(
    hub: Hub,
    register_plugin: Callable[..., Any],
    make_hub_client: MakeHubClient,
    publisher: Publisher,
) -> AsyncIterator[StartOtaHub]:
    """``await ota_hub_factory(**ota_options)``: tank_node and ota, served on a free port."""
    started: list[OtaHub] = []

    async def start(**options: Any) -> OtaHub:
        register_plugin(tank_node, TANK_MANIFEST)
        register_plugin(ota, OTA_MANIFEST)
        assert await hub.integrations.setup("tank_node", TANK_SCHEMA({}))
        section = OTA_SCHEMA(
            {
                "publisher_keys": [publisher.public_text],
                "max_image_size": 300_000,
                "models": {MODEL: {"slot_size": SLOT, "project_name": PROJECT}},
                **options,
            }
        )
        assert await hub.integrations.setup("ota", section)
        client = await make_hub_client()
        hub.data[RUNTIME].engine.base_url = client.base_url
        result = OtaHub(hub, client, publisher)
        started.append(result)
        return result

    yield start
    for instance in started:
        for node in instance.nodes:
            await node.stop()


@pytest_asyncio.fixture
async def ota_hub(ota_hub_factory: StartOtaHub) -> OtaHub:
    """ota with default options."""
    return await ota_hub_factory()
