"""The telemetry window fed from state changes, with a manual clock for eviction."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from hub.core.clock import ManualClock
from hub.core.hub import Hub
from hub.window import component


@pytest_asyncio.fixture
async def clocked_hub(config_dir: Path) -> AsyncIterator[Hub]:
    hub = Hub(config_dir, clock=ManualClock(start=1_000_000.0))
    await hub.start_core()
    yield hub
    await hub.stop()


async def test_numeric_states_enter_the_window(clocked_hub: Hub) -> None:
    await component.async_setup(clocked_hub, component.CONFIG_SCHEMA({}))
    window = clocked_hub.data[component.WINDOW]
    clocked_hub.states.set("sensor.level", "40.5", timestamp=1_000_000.0)
    clocked_hub.states.set("sensor.level", "unavailable", timestamp=1_000_001.0)
    clocked_hub.states.set("sensor.level", "41.5", timestamp=1_000_002.0)
    clocked_hub.states.set("switch.pump", "on", timestamp=1_000_002.0)
    assert window.range("sensor.level", 999_999, 1_000_003) == [
        (1_000_000.0, 40.5),
        (1_000_002.0, 41.5),
    ]
    assert window.entity_ids() == ["sensor.level"]
    clocked_hub.states.remove("sensor.level")
    assert window.entity_ids() == []


async def test_exclusions_and_eviction(clocked_hub: Hub) -> None:
    config = component.CONFIG_SCHEMA({"span": {"minutes": 2}, "exclude": ["sensor.noise_*"]})
    await component.async_setup(clocked_hub, config)
    window = clocked_hub.data[component.WINDOW]
    assert window.span == dt.timedelta(minutes=2)
    clocked_hub.states.set("sensor.noise_1", "1", timestamp=1_000_000.0)
    clocked_hub.states.set("sensor.level", "1", timestamp=1_000_000.0)
    assert window.entity_ids() == ["sensor.level"]
    clock = clocked_hub.clock
    assert isinstance(clock, ManualClock)
    clock.advance(component.EVICT_EVERY * 3)
    assert window.range("sensor.level", 0, 2_000_000) == []


async def test_window_is_restored_from_the_recorder(start_hub: object) -> None:
    from typing import Any

    from hub.recorder.recorder import RECORDER

    starter: Any = start_hub
    first: Hub = await starter({"configuration.yaml": "hub:\n"})
    import time

    now = time.time()
    for i in range(10):
        first.states.set("sensor.level", str(40 + i), timestamp=now - 600 + i * 60)
    first.states.set("sensor.mode", "auto", timestamp=now - 100)
    await first.data[RECORDER].flush()
    config_dir = first.config_dir
    await first.stop()

    second: Hub = await starter({"configuration.yaml": "hub:\n"}, config_dir=config_dir)
    window = second.data[component.WINDOW]
    for _ in range(200):
        if window.latest("sensor.level") is not None:
            break
        await asyncio.sleep(0.02)
    points = window.range("sensor.level", now - 3600, now + 1)
    assert [value for _, value in points] == [float(40 + i) for i in range(10)]
    assert "sensor.mode" not in window.entity_ids()
