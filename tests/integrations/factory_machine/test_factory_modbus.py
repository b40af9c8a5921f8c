"""Modbus polling against pymodbus's own TCP server (the simulator's PLC) on free ports."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from conftest import PRESS, StartFactory

from hub.testing.network import free_port
from integrations.factory_machine import PARTS
from integrations.factory_machine.modbus_adapter import decode, encode


def plc_machine(port: int, interval: float = 0.05) -> dict[str, Any]:
    return {
        **PRESS,
        "modbus": {
            "host": "127.0.0.1",
            "port": port,
            "interval": interval,
            "timeout": 0.5,
            "registers": [
                {"target": "run_state", "address": 0, "data_type": "uint32"},
                {"target": "total", "address": 2, "data_type": "uint32"},
                {"target": "rejects", "address": 4, "data_type": "uint32"},
                {"target": "sensor:temperature", "address": 6, "data_type": "int16", "scale": 0.1},
                {"target": "reason", "address": 100},
            ],
        },
    }


async def until(check: Callable[[], bool], clock: Any, timeout: float = 5.0) -> None:
    """Wait for ``check``; the manual clock moves on so that each poll has a new timestamp."""
    async with asyncio.timeout(timeout):
        while not check():
            clock.advance(0.02)
            await asyncio.sleep(0.02)


@pytest.mark.parametrize(
    ("value", "data_type", "order"),
    [
        (-2, "int16", "big"),
        (65535, "uint16", "big"),
        (-70000, "int32", "little"),
        (4_000_000_000, "uint32", "big"),
        (1.5, "float32", "little"),
    ],
)
def test_register_round_trip(value: float, data_type: str, order: str) -> None:
    assert decode(encode(value, data_type, order), data_type, order) == value


async def test_plc_goes_away_and_comes_back(
    start_factory: StartFactory, factory_sim: ModuleType
) -> None:
    port, dead_port = free_port(), free_port()
    model = factory_sim.MachineModel("north/press/p1", total=1234, rejects=5, temperature=61.5)
    config = {
        "sites": {
            "north": {"areas": {"press": {"machines": {"p1": plc_machine(port)}}}},
            "south": {"areas": {"weld": {"machines": {"w1": plc_machine(dead_port)}}}},
        }
    }
    server = factory_sim.PlcServer(model, port=port)
    await server.start()
    env = await start_factory(config)
    states = env.hub.states
    clock = env.hub.clock
    temperature = "sensor.north_press_p1_temperature"
    pollers = env.hub.data[PARTS][1].pollers
    try:
        await until(lambda: getattr(states.get(temperature), "state", None) == "61.5", clock)
        assert states.get("sensor.north_press_p1_run_state").state == "running"
        poller = pollers["north/press/p1"]
        assert poller.status.connected
        assert "illegal address" in (poller.status.last_error or "")
        model.total = 1240
        await until(lambda: env.runtime.trackers["north/press/p1"].total_count == 6, clock)
        assert not pollers["south/weld/w1"].status.connected
        assert states.get("sensor.south_weld_w1_run_state").state == "unavailable"

        await server.stop()
        await until(lambda: states.get(temperature).state == "unavailable", clock)
        assert states.get("binary_sensor.north_press_p1_online").state == "off"

        model.temperature = 70.0
        server = factory_sim.PlcServer(model, port=port)
        await server.start()
        await until(lambda: states.get(temperature).state == "70.0", clock)
        assert pollers["north/press/p1"].status.connected
        assert pollers["south/weld/w1"].status.failures > 0
    finally:
        await server.stop()
