"""Buttons: a stateless action the hub can trigger (restart a device, start a cycle)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from hub.core.state import STATE_UNKNOWN
from hub.entity.entity import Entity, PlatformService


class ButtonEntity(Entity):
    """A button. Implement :meth:`async_press`; the state is the time of the last press."""

    platform: ClassVar[str] = "button"
    platform_services: ClassVar[tuple[PlatformService, ...]] = (
        PlatformService("press", "async_handle_press", {}),
    )
    _last_pressed: dt.datetime | None = None

    @property
    def state(self) -> str:
        """ISO time of the last press, or ``unknown``."""
        return STATE_UNKNOWN if self._last_pressed is None else self._last_pressed.isoformat()

    async def async_handle_press(self) -> None:
        """Press, then record the time and write the state."""
        await self.async_press()
        self._last_pressed = dt.datetime.now(dt.UTC)
        self.write_state()

    async def async_press(self) -> None:
        """Perform the button's action."""
        raise NotImplementedError(f"{self.entity_id} cannot be pressed")
