"""The demo's ``config/tanks.yaml``: it validates, and its simulated tanks come up live."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from tank_helpers import TankHub, eventually, local_mac

from hub.config.yaml_loader import load_yaml
from integrations.tank_node import simulate as simulate_module
from integrations.tank_node.runtime import RUNTIME
from integrations.tank_node.schema import CONFIG_SCHEMA

DEMO = Path(__file__).resolve().parents[3] / "config" / "tanks.yaml"
DEMO_RAW = load_yaml(DEMO, config_dir=DEMO.parent)
StartTankHub = Callable[..., Awaitable[TankHub]]


def demo_section(hub_url: str) -> dict[str, Any]:
    """The demo file, with MACs unique to this test process and the test server's URL."""
    entries: list[dict[str, Any]] = [dict(entry) for entry in DEMO_RAW["simulate"]]
    for index, entry in enumerate(entries):
        entry["mac"] = local_mac(index + 100)
    return {"hub_url": hub_url, "simulate": entries}


def test_demo_file_validates() -> None:
    section = CONFIG_SCHEMA(load_yaml(DEMO, config_dir=DEMO.parent))
    shapes = [(e["name"], e["shape"]) for e in section["simulate"]]
    assert shapes == [("Rain tank", "vertical_cylinder"), ("Diesel tank", "horizontal_cylinder")]
    assert section["simulate"][0]["profile"] == {"start_mm": 1100, "rate_mm_per_h": -90}


def demo_for(base_url: str) -> dict[str, Any]:
    return demo_section(base_url.replace("http://", "ws://") + "/api/tank_node/ws")


async def test_demo_tanks_are_paired_and_live(
    tank_hub_factory: StartTankHub, sim: ModuleType
) -> None:
    tank_hub = await tank_hub_factory(demo_for)
    hub = tank_hub.hub
    fleet = hub.data[RUNTIME].fleet
    async with asyncio.timeout(20):
        await fleet.wait_started()
        for node in fleet.nodes.values():
            await node.configured.wait()
            await node.wait_acked(1)
    await eventually(lambda: hub.states.get("sensor.diesel_tank_level") is not None)
    rain = hub.states.get("sensor.rain_tank_level")
    diesel = hub.states.get("sensor.diesel_tank_level")
    assert rain is not None and diesel is not None
    assert float(rain.state) == pytest.approx(1100 / 1500 * 100, abs=0.2)
    # horizontal cylinder: 300 mm of 1000 is about 25 % of the volume, of 900 mm max fill
    assert 25 < float(diesel.state) < 35
    assert hub.states.get("binary_sensor.diesel_tank_online").state == "on"  # type: ignore[union-attr]
    devices = {d.name: d for d in hub.device_registry.devices("tank_node")}
    assert sorted(devices) == ["Diesel tank", "Rain tank"]

    # unload stops the simulators and keeps what they stored; a new set-up reconnects them
    await hub.integrations.unload("tank_node")
    assert fleet.nodes == {}
    assert (hub.config_dir / ".tank_node_sim.json").is_file()
    edited = demo_for(tank_hub.base_url)
    edited["simulate"][0]["report_interval"] = 30
    assert await hub.integrations.setup("tank_node", CONFIG_SCHEMA(edited))
    async with asyncio.timeout(20):
        await hub.data[RUNTIME].fleet.wait_started()
        nodes = list(hub.data[RUNTIME].fleet.nodes.values())
        for node in nodes:
            await node.configured.wait()
    assert [node.interval_s for node in nodes] == [30.0, 10.0]
    assert [node.state.boot for node in nodes] == [2, 2]
    assert len(hub.device_registry.devices("tank_node")) == 2


async def test_missing_simulator_is_a_clear_setup_error(
    tank_hub_factory: StartTankHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(simulate_module, "load_simulator", lambda: None)
    with pytest.raises(AssertionError, match="only a source checkout of Fieldhub has"):
        await tank_hub_factory(demo_for)
