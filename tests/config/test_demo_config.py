"""The demo configuration in config/ starts and shows live data from every simulated device."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hub.core.hub import Hub
from hub.testing.network import free_port

DEMO = Path(__file__).resolve().parents[2] / "config"


async def _until(predicate: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the demo to come alive")
        await asyncio.sleep(0.1)


def _numeric(hub: Hub, entity_id_part: str) -> list[str]:
    found = []
    for state in hub.states.all("sensor"):
        if entity_id_part in state.entity_id:
            try:
                float(state.state)
            except ValueError:
                continue
            found.append(state.entity_id)
    return found


@pytest.mark.slow
async def test_demo_configuration_runs(
    tmp_path: Path, start_hub: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    for source in DEMO.glob("*.yaml"):
        shutil.copy(source, config_dir / source.name)
    monkeypatch.setenv("FIELDHUB_HTTP_PORT", str(free_port()))
    monkeypatch.setenv("FIELDHUB_MQTT_PORT", str(free_port()))

    hub: Hub = await start_hub({}, config_dir=config_dir)

    assert set(hub.integrations.loaded()) >= {
        "example_sine",
        "tank_node",
        "factory_machine",
        "mqtt",
    }
    await _until(lambda: bool(_numeric(hub, "demo_wave")))
    await _until(lambda: len(hub.device_registry.devices("tank_node")) == 2, 60)
    await _until(lambda: len(_numeric(hub, "level")) >= 2, 60)
    await _until(lambda: len(_numeric(hub, "temperature")) >= 3, 60)
    assert hub.states.get("automation.demo_wave_is_high") is not None
    assert hub.states.get("alert.demo_wave_extreme") is not None
