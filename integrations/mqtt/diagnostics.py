"""Diagnostic sensors: intake counters and connection status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from hub.api import SensorEntity

from .runtime import MqttRuntime

REFRESH_SECONDS = 10.0


class IntakeCounter(SensorEntity):
    """One intake counter as a diagnostic sensor; all counters in its attributes."""

    _attr_entity_category = "diagnostic"
    _attr_state_class = "total_increasing"
    counters: ClassVar[dict[str, str]] = {
        "received": "MQTT messages received",
        "invalid": "MQTT invalid messages",
    }

    def __init__(self, runtime: MqttRuntime, counter: str) -> None:
        self._runtime = runtime
        self._counter = counter
        self._attr_name = self.counters[counter]
        self._attr_unique_id = f"intake_{counter}"
        self._cancel: Callable[[], None] | None = None

    async def async_added(self) -> None:
        """Refresh periodically."""
        self._refresh_values()
        self._cancel = self._runtime.hub.clock.call_later(REFRESH_SECONDS, self._tick)

    async def async_will_remove(self) -> None:
        """Stop refreshing."""
        if self._cancel is not None:
            self._cancel()
            self._cancel = None

    def _tick(self) -> None:
        self._refresh_values()
        self.write_state()
        self._cancel = self._runtime.hub.clock.call_later(REFRESH_SECONDS, self._tick)

    def _refresh_values(self) -> None:
        stats: dict[str, Any] = self._runtime.stats.as_dict()
        self._attr_native_value = stats[self._counter]
        stats["connected"] = self._runtime.intake.connected
        self._attr_extra_state_attributes = stats


def diagnostic_entities(runtime: MqttRuntime) -> list[SensorEntity]:
    """The diagnostic sensors of the intake."""
    return [IntakeCounter(runtime, name) for name in IntakeCounter.counters]
