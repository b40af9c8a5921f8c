"""The ``simulate:`` option and the demo's ``config/factory.yaml``."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import voluptuous as vol
from conftest import MANIFEST, NOW, site_config
from test_factory_modbus import plc_machine, until

import integrations.factory_machine as factory_machine
from hub.config.loader import load_configuration
from hub.config.yaml_loader import load_yaml
from hub.core.bootstrap import domain_schemas, load_plugins
from hub.core.clock import ManualClock
from hub.core.hub import Hub
from hub.core.services_core import register_core_services
from hub.http.config import HttpConfig
from hub.testing.plugin import StartHub
from integrations.factory_machine import SIMULATION
from integrations.factory_machine.const import SIM_KEY_LABEL
from integrations.factory_machine.keys import KeyManager
from integrations.factory_machine.schema import CONFIG_SCHEMA

DEMO = Path(__file__).resolve().parents[3] / "config" / "factory.yaml"
DEMO_MACHINES = ["plant1/assembly/a1", "plant1/press/p1", "plant1/press/p2"]
SENSORS = ("temperature", "vibration", "gas")


@pytest.fixture
def unserved_port(unused_port: Callable[[], int]) -> int:
    """A loopback port no server listens on."""
    return unused_port()


@pytest_asyncio.fixture
async def hub(config_dir: Path, unserved_port: int) -> AsyncIterator[Hub]:
    """A started core on a manual clock whose ``http:`` section names a port nobody serves."""
    http = HttpConfig(server_host=("127.0.0.1",), server_port=unserved_port)
    instance = Hub(config_dir, clock=ManualClock(NOW), config={"http": http})
    await instance.start_core()
    register_core_services(instance)
    instance.mark_started()
    try:
        yield instance
    finally:
        await instance.stop()


async def eventually(predicate: Callable[[], bool], limit_s: float) -> None:
    """Poll ``predicate`` (states written by the hub's own HTTP round trips) until it holds."""
    async with asyncio.timeout(limit_s):
        while not predicate():
            await asyncio.sleep(0.05)


def state_of(hub: Hub, entity_id: str) -> str | None:
    """The state string of ``entity_id``, None when it has none."""
    state = hub.states.get(entity_id)
    return None if state is None else state.state


def is_number(state: Any) -> bool:
    """Whether a state holds a number (not unknown or unavailable)."""
    try:
        float(state.state)
    except (AttributeError, ValueError):
        return False
    return True


# -- configuration ------------------------------------------------------------------------
def test_demo_file_validates_through_the_loader(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    shutil.copy(DEMO, config_dir / "factory.yaml")
    (config_dir / "configuration.yaml").write_text("factory_machine: !include factory.yaml\n")
    loaded = load_configuration(config_dir, domain_schemas(load_plugins()))
    section = loaded.sections["factory_machine"]
    assert section["simulate"] == {"all": True, "interval": 1.0, "batch": 1, "modbus": False}
    site = section["sites"]["plant1"]
    assert site["time_zone"] == "Europe/Berlin"
    assert [s["name"] for s in site["schedule"]["shifts"]] == ["early", "late", "night"]
    assert sorted(site["areas"]) == ["assembly", "press"]
    machines = [m for area in site["areas"].values() for m in area["machines"].values()]
    assert len(machines) == 3
    for machine in machines:
        assert machine["ideal_cycle_time"] > 0
        assert tuple(s["name"] for s in machine["sensors"]) == SENSORS


@pytest.mark.parametrize(
    ("simulate", "message"),
    [
        ({"all": True, "machines": ["north/press/p1"]}, "not both"),
        ({}, "set all: true"),
        ({"machines": ["north/press/p9"]}, "no machine 'north/press/p9'"),
        ({"machines": ["north/press"]}, "expected a machine id"),
        ({"all": True, "interval": 0}, "positive duration"),
    ],
)
def test_simulate_schema_refuses(simulate: dict[str, Any], message: str) -> None:
    with pytest.raises(vol.Invalid, match=message):
        CONFIG_SCHEMA({**site_config(), "simulate": simulate})


def test_simulate_schema_defaults() -> None:
    section = CONFIG_SCHEMA({**site_config(), "simulate": {"machines": "south/weld/w1"}})
    assert section["simulate"] == {
        "machines": ["south/weld/w1"],
        "all": False,
        "interval": 1.0,
        "batch": 1,
        "modbus": False,
    }


# -- a full hub ----------------------------------------------------------------------------
@pytest.fixture
def fast_demo() -> str:
    """The demo section with fast ticks and refreshes, and the whole day planned."""
    section = load_yaml(DEMO, config_dir=DEMO.parent)
    section["simulate"]["interval"] = 0.2
    section["oee_interval"] = 0.5
    section["flush_interval"] = 0.5
    del section["sites"]["plant1"]["schedule"]
    return json.dumps(section)


async def test_simulated_demo_hub_is_live(
    start_hub: StartHub,
    fast_demo: str,
    unused_port: Callable[[], int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    configuration = (
        "hub:\n  time_zone: UTC\n"
        f"http:\n  server_host: 127.0.0.1\n  server_port: {unused_port()}\n"
        "factory_machine: !include factory.yaml\n"
    )
    hub = await start_hub({"configuration.yaml": configuration, "factory.yaml": fast_demo})
    simulation = hub.data[SIMULATION]
    assert sorted(simulation.feeds) == DEMO_MACHINES
    prefixes = [m.replace("/", "_") for m in DEMO_MACHINES]
    live = [f"sensor.{p}_{name}" for p in prefixes for name in SENSORS]
    live += [f"sensor.{p}_total_parts" for p in prefixes]
    oee = [f"sensor.{p}_oee_day" for p in prefixes]
    await eventually(lambda: all(is_number(hub.states.get(e)) for e in live + oee), 15)
    for prefix in prefixes:
        assert state_of(hub, f"sensor.{prefix}_run_state") in ("running", "down")
        assert state_of(hub, f"binary_sensor.{prefix}_online") == "on"
    keys = await KeyManager(hub).list(DEMO_MACHINES)
    assert sorted(k.machine for k in keys if k.revoked_ts is None) == DEMO_MACHINES
    assert {k.label for k in keys} == {SIM_KEY_LABEL}
    assert "fh_dev_" not in caplog.text

    await hub.integrations.unload("factory_machine")
    assert SIMULATION not in hub.data
    keys = await KeyManager(hub).list(DEMO_MACHINES)
    assert len(keys) == 3 and all(k.revoked_ts is not None for k in keys)


async def test_modbus_machine_is_served_by_a_simulated_plc(
    hub: Hub, register_plugin: Callable[..., Any], unused_port: Callable[[], int]
) -> None:
    register_plugin(factory_machine, MANIFEST)
    section = {
        **site_config(p1=plc_machine(unused_port())),
        "simulate": {"machines": ["north/press/p1"], "interval": 0.05, "modbus": True},
    }
    assert await hub.integrations.setup("factory_machine", CONFIG_SCHEMA(section))
    simulation = hub.data[SIMULATION]
    assert list(simulation.plcs) == ["north/press/p1"] and simulation.feeds == {}
    temperature = "sensor.north_press_p1_temperature"
    await until(lambda: is_number(hub.states.get(temperature)), hub.clock)
    assert 50 < float(state_of(hub, temperature) or 0) < 70
    await hub.integrations.unload("factory_machine")
    assert simulation.plcs == {}
    assert await KeyManager(hub).list() == []


# -- failures -----------------------------------------------------------------------------
async def test_unreachable_http_server_is_reported(
    hub: Hub,
    register_plugin: Callable[..., Any],
    unserved_port: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    register_plugin(factory_machine, MANIFEST)
    section = {**site_config(), "simulate": {"machines": ["north/press/p1"], "interval": 2}}
    assert await hub.integrations.setup("factory_machine", CONFIG_SCHEMA(section))
    simulation = hub.data[SIMULATION]
    assert simulation.base_url == f"http://127.0.0.1:{unserved_port}"
    assert isinstance(hub.clock, ManualClock)
    hub.clock.advance(2)
    await eventually(lambda: "http component must be running" in caplog.text, 5)
    (kept,) = simulation.feeds["north/press/p1"].buffer  # kept for the next attempt
    assert kept["ts"] == (NOW + 2) * 1000
    assert kept["values"]["run_state"] in ("running", "down")
    await hub.integrations.unload("factory_machine")
    (key,) = await KeyManager(hub).list()
    assert key.machine == "north/press/p1" and key.revoked_ts is not None


async def test_missing_simulator_is_a_clear_setup_error(
    hub: Hub, register_plugin: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(factory_machine, "load_simulator", lambda: None)
    register_plugin(factory_machine, MANIFEST)
    section = {**site_config(), "simulate": {"all": True}}
    assert not await hub.integrations.setup("factory_machine", CONFIG_SCHEMA(section))
    error = hub.integrations.status["factory_machine"].error
    assert error is not None and "only a source checkout of Fieldhub has" in error
    assert hub.states.get("sensor.north_press_p1_temperature") is None
