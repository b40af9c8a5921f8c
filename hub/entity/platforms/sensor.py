"""Sensors: a measured or computed value with a unit, device class and state class."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, ClassVar

from hub.core.state import STATE_UNKNOWN
from hub.entity.entity import Entity, EntityDescription

STATE_CLASSES = ("measurement", "total", "total_increasing")
NativeValue = str | int | float | dt.datetime | dt.date | None


@dataclass(frozen=True, kw_only=True, slots=True)
class SensorEntityDescription(EntityDescription):
    """Description of a sensor."""

    native_unit_of_measurement: str | None = None
    state_class: str | None = None
    suggested_display_precision: int | None = None


class SensorEntity(Entity):
    """A sensor. Set ``_attr_native_value`` (or override ``native_value``)."""

    platform: ClassVar[str] = "sensor"
    entity_description: SensorEntityDescription | None = None
    _attr_native_value: NativeValue = None
    _attr_native_unit_of_measurement: str | None = None
    _attr_state_class: str | None = None
    _attr_suggested_display_precision: int | None = None

    @property
    def native_value(self) -> NativeValue:
        """The value in the native unit."""
        return self._attr_native_value

    @property
    def native_unit_of_measurement(self) -> str | None:
        """The unit of ``native_value``."""
        if self._attr_native_unit_of_measurement is not None:
            return self._attr_native_unit_of_measurement
        desc = self.entity_description
        return desc.native_unit_of_measurement if desc else None

    @property
    def state_class(self) -> str | None:
        """measurement, total or total_increasing: tells the recorder what statistics to keep."""
        if self._attr_state_class is not None:
            return self._attr_state_class
        return self.entity_description.state_class if self.entity_description else None

    @property
    def suggested_display_precision(self) -> int | None:
        """Decimals the UI should show."""
        if self._attr_suggested_display_precision is not None:
            return self._attr_suggested_display_precision
        desc = self.entity_description
        return desc.suggested_display_precision if desc else None

    @property
    def state(self) -> str:
        """The native value as text (``unknown`` when missing or not a finite number)."""
        value = self.native_value
        if type(value) is str:  # the common case (MQTT and most integrations): no conversion
            return value
        if value is None:
            return STATE_UNKNOWN
        if isinstance(value, float):
            if not math.isfinite(value):
                return STATE_UNKNOWN
            return repr(round(value, 10))
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        return str(value)

    @property
    def platform_attributes(self) -> dict[str, Any]:
        """Unit, state class and display precision."""
        attrs: dict[str, Any] = {}
        if (unit := self.native_unit_of_measurement) is not None:
            attrs["unit_of_measurement"] = unit
        if (state_class := self.state_class) is not None:
            attrs["state_class"] = state_class
        if (precision := self.suggested_display_precision) is not None:
            attrs["suggested_display_precision"] = precision
        return attrs
