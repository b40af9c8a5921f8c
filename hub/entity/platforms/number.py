"""Numbers: a settable numeric value with limits (a setpoint, an interval)."""

from __future__ import annotations

from typing import Any, ClassVar

import voluptuous as vol

from hub.core.errors import ServiceValidationError
from hub.core.state import STATE_UNKNOWN
from hub.entity.entity import Entity, PlatformService


class NumberEntity(Entity):
    """A number. Implement :meth:`async_set_native_value`."""

    platform: ClassVar[str] = "number"
    platform_services: ClassVar[tuple[PlatformService, ...]] = (
        PlatformService("set_value", "async_set_value", {vol.Required("value"): vol.Coerce(float)}),
    )
    _attr_native_value: float | None = None
    _attr_native_min_value: float = 0.0
    _attr_native_max_value: float = 100.0
    _attr_native_step: float = 1.0
    _attr_mode: str = "auto"
    _attr_native_unit_of_measurement: str | None = None

    @property
    def native_value(self) -> float | None:
        """Current value."""
        return self._attr_native_value

    @property
    def state(self) -> str:
        """The value as text."""
        value = self.native_value
        return STATE_UNKNOWN if value is None else repr(value)

    @property
    def platform_attributes(self) -> dict[str, Any]:
        """Limits, step, mode and unit."""
        attrs: dict[str, Any] = {
            "min": self._attr_native_min_value,
            "max": self._attr_native_max_value,
            "step": self._attr_native_step,
            "mode": self._attr_mode,
        }
        if self._attr_native_unit_of_measurement is not None:
            attrs["unit_of_measurement"] = self._attr_native_unit_of_measurement
        return attrs

    async def async_set_value(self, value: float) -> None:
        """Validate against the limits, then set."""
        low, high = self._attr_native_min_value, self._attr_native_max_value
        if not low <= value <= high:
            raise ServiceValidationError(
                f"{value} is outside {self.entity_id}'s range {low} to {high}"
            )
        await self.async_set_native_value(value)

    async def async_set_native_value(self, value: float) -> None:
        """Apply a new value."""
        raise NotImplementedError(f"{self.entity_id} cannot be set")
