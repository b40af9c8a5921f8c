"""A sensor whose value follows a sine wave over time."""

import math

from hub.api import Hub, SensorEntity


class SineSensor(SensorEntity):
    """Publishes ``amplitude · sin(2π t / period)`` every ``interval`` seconds."""

    _attr_state_class = "measurement"

    def __init__(self, hub: Hub, config: dict) -> None:
        self._hub = hub
        self._config = config
        self._attr_name = config["name"]
        self._attr_unique_id = f"sine_{config['name']}"
        self._cancel = None

    async def async_added(self) -> None:
        self._tick()

    async def async_will_remove(self) -> None:
        if self._cancel:
            self._cancel()

    def _tick(self) -> None:
        phase = 2 * math.pi * self.hub.clock.time() / self._config["period"]
        self._attr_native_value = round(self._config["amplitude"] * math.sin(phase), 4)
        if self.added:
            self.write_state()
        self._cancel = self.hub.clock.call_later(self._config["interval"], self._tick)
