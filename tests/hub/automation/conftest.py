"""Fixtures for the automation tests: a hub on a manual clock, YAML loading, a call recorder."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from hub.automation.component import async_setup, config_schema
from hub.automation.engine import AutomationEngine
from hub.config.validation import validate_section
from hub.config.yaml_loader import YamlReader
from hub.core.clock import ManualClock
from hub.core.hub import Hub
from hub.core.services import ServiceCall
from hub.core.services_core import register_core_services

Setup = Callable[[str], Awaitable[AutomationEngine]]


class Tick:
    """Moves the manual clock and lets the loop run what became due."""

    def __init__(self, hub: Hub, clock: ManualClock) -> None:
        self.hub = hub
        self.clock = clock

    async def settle(self) -> None:
        """Let pending tasks run until the loop is idle."""
        for _ in range(20):
            await asyncio.sleep(0)

    async def __call__(self, seconds: float = 0.0) -> None:
        """Advance ``seconds`` (in one-second steps so due work runs in order), then settle."""
        await self.settle()
        remaining = seconds
        while remaining > 0:
            step = min(1.0, remaining)
            self.clock.advance(step)
            remaining -= step
            await self.settle()

    def set_state(
        self, entity_id: str, state: str, attributes: dict[str, Any] | None = None
    ) -> None:
        """Write a state stamped with the manual clock."""
        self.hub.states.set(entity_id, state, attributes, timestamp=self.clock.time())


@pytest.fixture
def clock() -> ManualClock:
    """A manual clock at 2026-01-01T00:00:00Z."""
    return ManualClock()


async def _start(config_dir: Path, clock: ManualClock, *, started: bool) -> Hub:
    instance = Hub(config_dir, clock=clock)
    await instance.start_core()
    register_core_services(instance)
    if started:
        instance.mark_started()
    return instance


@pytest_asyncio.fixture
async def hub(config_dir: Path, clock: ManualClock) -> AsyncIterator[Hub]:
    """A started hub core driven by the manual clock."""
    instance = await _start(config_dir, clock, started=True)
    try:
        yield instance
    finally:
        await instance.stop()


@pytest_asyncio.fixture
async def starting_hub(config_dir: Path, clock: ManualClock) -> AsyncIterator[Hub]:
    """A hub core that has not announced ``hub_started`` yet."""
    instance = await _start(config_dir, clock, started=False)
    try:
        yield instance
    finally:
        await instance.stop()


@pytest.fixture
def tick(hub: Hub, clock: ManualClock) -> Tick:
    """Advance the clock and settle the loop: ``await tick(5)``."""
    return Tick(hub, clock)


def parse_automations(hub: Hub, text: str, name: str = "automations.yaml") -> Any:
    """Validate automations YAML as the config loader would (raises ConfigError)."""
    path = hub.config_dir / name
    raw = YamlReader(hub.config_dir).load_text(text, path)
    return validate_section("automation", config_schema(hub.plugins), raw)


@pytest.fixture
def setup(hub: Hub) -> Setup:
    """Load automations from YAML text into a started engine."""

    async def load(text: str) -> AutomationEngine:
        configs = await hub.run_in_executor(parse_automations, hub, text)
        return await async_setup(hub, configs)

    return load


@pytest.fixture
def calls(hub: Hub) -> list[ServiceCall]:
    """Calls of the ``test.record`` service (and ``test.other``)."""
    recorded: list[ServiceCall] = []

    def record(call: ServiceCall) -> None:
        recorded.append(call)

    hub.services.register("test", "record", record)
    hub.services.register("test", "other", record)
    return recorded
