"""Fixtures for the notify tests: a hub on a manual clock, set-up from YAML, fake servers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from notify_fakes import MANIFEST, FakeServer, load_notify_config

import integrations.notify as notify_module
from hub.api import Hub, ManualClock
from hub.core.services_core import register_core_services
from integrations.notify.runtime import RUNTIME, NotifyRuntime


@pytest.fixture
def clock() -> ManualClock:
    """The clock every notify test hub runs on."""
    return ManualClock()


@pytest_asyncio.fixture
async def hub(config_dir: Path, clock: ManualClock) -> AsyncIterator[Hub]:
    """The ``hub`` fixture, on a manual clock so retry schedules are stepped, not waited."""
    instance = Hub(config_dir, clock=clock)
    await instance.start_core()
    register_core_services(instance)
    instance.mark_started()
    try:
        yield instance
    finally:
        await instance.stop()


SetupNotify = Callable[..., Awaitable[NotifyRuntime]]


@pytest_asyncio.fixture
async def setup_notify(hub: Hub, register_plugin: Any) -> AsyncIterator[SetupNotify]:
    """``await setup_notify(yaml, secrets)``: validate, register the plugin, set it up.

    Unloads the integration after the test, as the hub does when it stops.
    """

    async def setup(yaml_text: str, secrets: str = "") -> NotifyRuntime:
        config = await asyncio.to_thread(load_notify_config, hub.config_dir, yaml_text, secrets)
        if hub.plugins.get("notify") is None:
            register_plugin(notify_module, MANIFEST)
        assert await hub.integrations.setup("notify", config)
        return hub.data[RUNTIME]

    yield setup
    await hub.integrations.unload_all()


@pytest_asyncio.fixture
async def fake_server(
    unused_port: Callable[[], int],
) -> AsyncIterator[Callable[[], Awaitable[FakeServer]]]:
    """A factory of started :class:`FakeServer` instances, stopped after the test."""
    servers: list[FakeServer] = []

    async def start() -> FakeServer:
        server = FakeServer(unused_port())
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in reversed(servers):
        await server.stop()


Step = Callable[[NotifyRuntime, float], Awaitable[None]]


@pytest.fixture
def step(clock: ManualClock) -> Step:
    """``await step(runtime, seconds)``: move the clock, then wait for what became due."""

    async def advance(runtime: NotifyRuntime, seconds: float) -> None:
        clock.advance(seconds)
        await runtime.notifier.wait_idle()

    return advance


@pytest.fixture
def deliveries(hub: Hub) -> Callable[..., Awaitable[list[dict[str, Any]]]]:
    """Read the delivery log: ``await deliveries(target=..., status=...)``."""
    from integrations.notify.store import DeliveryLog, DeliveryQuery

    async def read(**filters: Any) -> list[dict[str, Any]]:
        return await DeliveryLog(hub).query(DeliveryQuery(**filters))

    return read


@pytest.fixture
def secret_free_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture every log record at DEBUG (tests grep them for secrets)."""
    caplog.set_level("DEBUG")
    yield caplog
