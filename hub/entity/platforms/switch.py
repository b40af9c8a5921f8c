"""Switches: something the hub can turn on and off."""

from __future__ import annotations

from typing import ClassVar

from hub.core.state import STATE_OFF, STATE_ON, STATE_UNKNOWN
from hub.entity.entity import Entity, PlatformService


class SwitchEntity(Entity):
    """A switch. Implement :meth:`async_turn_on` and :meth:`async_turn_off`."""

    platform: ClassVar[str] = "switch"
    platform_services: ClassVar[tuple[PlatformService, ...]] = (
        PlatformService("turn_on", "async_turn_on", {}),
        PlatformService("turn_off", "async_turn_off", {}),
        PlatformService("toggle", "async_toggle", {}),
    )
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

    async def async_turn_on(self) -> None:
        """Turn on."""
        raise NotImplementedError(f"{self.entity_id} cannot be turned on")

    async def async_turn_off(self) -> None:
        """Turn off."""
        raise NotImplementedError(f"{self.entity_id} cannot be turned off")

    async def async_toggle(self) -> None:
        """Turn on when off, off otherwise."""
        if self.is_on:
            await self.async_turn_off()
        else:
            await self.async_turn_on()
