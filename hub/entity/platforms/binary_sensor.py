"""Binary sensors: on/off readings such as a door contact or a float switch."""

from __future__ import annotations

from typing import ClassVar

from hub.core.state import STATE_OFF, STATE_ON, STATE_UNKNOWN
from hub.entity.entity import Entity


class BinarySensorEntity(Entity):
    """A binary sensor. Set ``_attr_is_on``."""

    platform: ClassVar[str] = "binary_sensor"
    _attr_is_on: bool | None = None

    @property
    def is_on(self) -> bool | None:
        """True, False or None when unknown."""
        return self._attr_is_on

    @property
    def state(self) -> str:
        """``on``, ``off`` or ``unknown``."""
        if self.is_on is None:
            return STATE_UNKNOWN
        return STATE_ON if self.is_on else STATE_OFF
