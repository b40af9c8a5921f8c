"""Fixtures for testing the hub and integrations: ``hub``, ``register_plugin``, ``start_hub``.

Installed with Fieldhub as a pytest plugin, so third-party integration authors get the same
fixtures as the hub's own tests. Every fixture starts real components and stops them after
the test. The HTTP and MQTT fixtures (``hub_client``, ``mqtt_broker``) live beside this
module and are registered here too.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import pytest_asyncio

from hub.core.hub import Hub
from hub.core.services_core import register_core_services
from hub.plugins.manifest import Manifest

pytest_plugins = [
    "hub.testing.network",
    "hub.testing.postgres",
    "hub.testing.http",
    "hub.testing.mqtt",
]

RegisterPlugin = Callable[..., Manifest]
StartHub = Callable[..., Awaitable[Hub]]


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """An empty configuration directory."""
    path = tmp_path / "config"
    path.mkdir()
    return path


@pytest_asyncio.fixture
async def hub(config_dir: Path) -> AsyncIterator[Hub]:
    """A started hub core (database, registries, core services) with no integrations."""
    instance = Hub(config_dir)
    await instance.start_core()
    register_core_services(instance)
    instance.mark_started()
    try:
        yield instance
    finally:
        await instance.stop()


@pytest_asyncio.fixture
async def register_plugin(hub: Hub) -> AsyncIterator[RegisterPlugin]:
    """Register a plugin object on the ``hub`` fixture: ``register_plugin(module, manifest)``.

    ``manifest`` is a mapping as in ``manifest.json`` (domain, name, version…) or a
    :class:`Manifest`. Returns the manifest. Plugins are unregistered after the test.
    """
    names: list[str] = []

    def register(plugin: ModuleType | object, manifest: Mapping[str, Any] | Manifest) -> Manifest:
        if not isinstance(manifest, Manifest):
            manifest = Manifest.from_dict(dict(manifest), "test manifest")
        hub.plugins.register(plugin, manifest)
        hub.plugins.check_pending()
        names.append(manifest.domain)
        return manifest

    yield register
    if hub.is_running:
        # Unload what the test set up while its plugins can still answer the unload hook.
        await hub.integrations.unload_all()
    for name in names:
        if hub.plugins.get(name) is not None:
            hub.plugins.unregister(name)


@pytest_asyncio.fixture
async def start_hub(tmp_path: Path) -> AsyncIterator[StartHub]:
    """Start a full hub (entry-point plugins, components) from YAML files you give.

    ``await start_hub({"configuration.yaml": "...", "secrets.yaml": "..."})`` writes the
    files into a fresh configuration directory and returns the running hub; every hub
    started this way is stopped after the test.
    """
    from hub.core.bootstrap import start_hub as _start

    started: list[Hub] = []

    async def start(files: Mapping[str, str], *, config_dir: Path | None = None) -> Hub:
        directory = config_dir or tmp_path / f"config{len(started)}"

        def write_files() -> None:
            directory.mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                target = directory / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")

        await asyncio.get_running_loop().run_in_executor(None, write_files)
        instance = await _start(directory)
        started.append(instance)
        return instance

    yield start
    for instance in reversed(started):
        await instance.stop()
