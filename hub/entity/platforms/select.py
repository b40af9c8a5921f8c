"""Selects: one option out of a fixed list (a mode, a program)."""

from __future__ import annotations

from typing import Any, ClassVar

import voluptuous as vol

from hub.core.errors import ServiceValidationError
from hub.core.state import STATE_UNKNOWN
from hub.entity.entity import Entity, PlatformService


class SelectEntity(Entity):
    """A select. Set ``_attr_options`` and ``_attr_current_option``; implement
    :meth:`async_select_option`."""

    platform: ClassVar[str] = "select"
    platform_services: ClassVar[tuple[PlatformService, ...]] = (
        PlatformService(
            "select_option", "async_handle_select_option", {vol.Required("option"): str}
        ),
    )
    _attr_options: tuple[str, ...] = ()
    _attr_current_option: str | None = None

    @property
    def options(self) -> tuple[str, ...]:
        """The allowed options."""
        return self._attr_options

    @property
    def current_option(self) -> str | None:
        """The selected option, or None when unknown."""
        return self._attr_current_option

    @property
    def state(self) -> str:
        """The current option, or ``unknown``."""
        option = self.current_option
        return STATE_UNKNOWN if option is None else option

    @property
    def platform_attributes(self) -> dict[str, Any]:
        """The options."""
        return {"options": list(self.options)}

    async def async_handle_select_option(self, option: str) -> None:
        """Refuse options outside the list, then select."""
        if option not in self.options:
            raise ServiceValidationError(
                f"{option!r} is not an option of {self.entity_id}; choose one of "
                f"{', '.join(self.options)}"
            )
        await self.async_select_option(option)

    async def async_select_option(self, option: str) -> None:
        """Apply the option."""
        raise NotImplementedError(f"{self.entity_id} cannot be changed")
