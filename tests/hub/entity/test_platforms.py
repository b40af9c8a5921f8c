"""Core entity platforms: state strings, attributes, platform services."""

from __future__ import annotations

import pytest

from hub.core.errors import ServiceValidationError
from hub.core.hub import Hub
from hub.entity.platforms.binary_sensor import BinarySensorEntity
from hub.entity.platforms.number import NumberEntity
from hub.entity.platforms.sensor import SensorEntity
from hub.entity.platforms.switch import SwitchEntity


class Pump(SwitchEntity):
    _attr_name = "Pump"
    _attr_is_on = False

    async def async_turn_on(self) -> None:
        self._attr_is_on = True
        self.write_state()

    async def async_turn_off(self) -> None:
        self._attr_is_on = False
        self.write_state()


class Setpoint(NumberEntity):
    _attr_name = "Setpoint"
    _attr_native_value = 20.0
    _attr_native_min_value = 5.0
    _attr_native_max_value = 30.0

    async def async_set_native_value(self, value: float) -> None:
        self._attr_native_value = value
        self.write_state()


@pytest.mark.parametrize(
    ("value", "expected"), [(None, "unknown"), (1.5, "1.5"), (float("nan"), "unknown"), ("x", "x")]
)
def test_sensor_state(value: object, expected: str) -> None:
    sensor = SensorEntity()
    sensor._attr_native_value = value  # type: ignore[assignment]
    assert sensor.state == expected


async def test_sensor_attributes(hub: Hub) -> None:
    sensor = SensorEntity()
    sensor._attr_name = "Water temperature"
    sensor._attr_native_value = 12.25
    sensor._attr_native_unit_of_measurement = "°C"
    sensor._attr_device_class = "temperature"
    sensor._attr_state_class = "measurement"
    await hub.entities.add("x", [sensor])
    state = hub.states.get("sensor.water_temperature")
    assert state is not None
    assert dict(state.attributes) == {
        "unit_of_measurement": "°C",
        "state_class": "measurement",
        "device_class": "temperature",
        "friendly_name": "Water temperature",
    }


async def test_unavailable(hub: Hub) -> None:
    sensor = BinarySensorEntity()
    sensor._attr_name = "Float switch"
    sensor._attr_is_on = True
    await hub.entities.add("x", [sensor])
    sensor._attr_available = False
    sensor.write_state()
    state = hub.states.get("binary_sensor.float_switch")
    assert state is not None and state.state == "unavailable"


async def test_switch_services(hub: Hub) -> None:
    await hub.entities.add("x", [Pump()])
    await hub.services.call("switch", "turn_on", {"entity_id": "switch.pump"})
    assert hub.states.is_state("switch.pump", "on")
    await hub.services.call("switch", "toggle", {"entity_id": ["switch.pump"]})
    assert hub.states.is_state("switch.pump", "off")
    with pytest.raises(ServiceValidationError, match="not a switch entity"):
        await hub.services.call("switch", "turn_on", {"entity_id": "switch.missing"})


async def test_number_range_checked(hub: Hub) -> None:
    await hub.entities.add("x", [Setpoint()])
    await hub.services.call("number", "set_value", {"entity_id": "number.setpoint", "value": 25})
    assert hub.states.is_state("number.setpoint", "25.0")
    with pytest.raises(ServiceValidationError, match=r"outside number\.setpoint's range"):
        await hub.services.call(
            "number", "set_value", {"entity_id": "number.setpoint", "value": 99}
        )


async def test_unsupported_platform_service_is_a_clear_refusal(hub: Hub) -> None:
    class ReadOnlySwitch(SwitchEntity):
        _attr_name = "Mains"
        _attr_is_on = True

    await hub.entities.add("x", [ReadOnlySwitch()])
    with pytest.raises(ServiceValidationError, match=r"switch\.mains cannot be turned off"):
        await hub.services.call("switch", "turn_off", {"entity_id": "switch.mains"})
    assert hub.states.is_state("switch.mains", "on")
