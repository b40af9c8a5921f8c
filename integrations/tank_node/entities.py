"""The entities of one paired tank node."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hub.api import BinarySensorEntity, EntityDescription, SensorEntity, SensorEntityDescription


@dataclass(frozen=True, kw_only=True, slots=True)
class TankSensorDescription(SensorEntityDescription):
    """A tank sensor; ``key`` names the value in :class:`TankValues`."""


SENSORS: tuple[TankSensorDescription, ...] = (
    TankSensorDescription(
        key="distance",
        name="Distance",
        device_class="distance",
        native_unit_of_measurement="mm",
        state_class="measurement",
        suggested_display_precision=0,
    ),
    TankSensorDescription(
        key="level",
        name="Level",
        icon="mdi:gauge",
        native_unit_of_measurement="%",
        state_class="measurement",
        suggested_display_precision=1,
    ),
    TankSensorDescription(
        key="volume",
        name="Volume",
        device_class="volume_storage",
        native_unit_of_measurement="L",
        state_class="measurement",
        suggested_display_precision=0,
    ),
    TankSensorDescription(
        key="free_volume",
        name="Free volume",
        device_class="volume_storage",
        native_unit_of_measurement="L",
        state_class="measurement",
        suggested_display_precision=0,
    ),
    TankSensorDescription(
        key="fill_rate",
        name="Fill rate",
        device_class="volume_flow_rate",
        native_unit_of_measurement="L/h",
        state_class="measurement",
        suggested_display_precision=1,
    ),
    TankSensorDescription(
        key="time_to_empty",
        name="Time to empty",
        device_class="duration",
        native_unit_of_measurement="h",
        suggested_display_precision=1,
    ),
    TankSensorDescription(
        key="time_to_full",
        name="Time to full",
        device_class="duration",
        native_unit_of_measurement="h",
        suggested_display_precision=1,
    ),
    TankSensorDescription(
        key="signal",
        name="Signal quality",
        icon="mdi:signal",
        native_unit_of_measurement="%",
        state_class="measurement",
        entity_category="diagnostic",
        suggested_display_precision=0,
    ),
)

ONLINE = EntityDescription(
    key="online", name="Online", device_class="connectivity", entity_category="diagnostic"
)


class TankSensor(SensorEntity):
    """One measured or derived value of a tank."""

    entity_description: TankSensorDescription

    def __init__(self, device_id: str, device_name: str, description: TankSensorDescription):
        self.entity_description = description
        self._attr_unique_id = f"{device_id}-{description.key}"
        self._attr_name = f"{device_name} {description.name}"
        self._attr_device_id = device_id

    def set_value(self, value: float | None, attributes: Mapping[str, Any] | None = None) -> None:
        """Set the native value (None when it cannot be known) and extra attributes."""
        self._attr_native_value = None if value is None else round(value, 3)
        self._attr_extra_state_attributes = attributes


class TankOnline(BinarySensorEntity):
    """On while the node holds an identified session."""

    def __init__(self, device_id: str, device_name: str) -> None:
        self.entity_description = ONLINE
        self._attr_unique_id = f"{device_id}-online"
        self._attr_name = f"{device_name} Online"
        self._attr_device_id = device_id
        self._attr_is_on = False

    def set_online(self, online: bool) -> None:
        """Record whether the node is connected."""
        self._attr_is_on = online


def build_entities(device_id: str, device_name: str) -> tuple[dict[str, TankSensor], TankOnline]:
    """The sensors (by key) and the online binary sensor of one node."""
    sensors = {d.key: TankSensor(device_id, device_name, d) for d in SENSORS}
    return sensors, TankOnline(device_id, device_name)
