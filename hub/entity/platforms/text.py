"""Texts: a settable string value with length limits and an optional pattern."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import voluptuous as vol

from hub.core.errors import ServiceValidationError
from hub.core.state import STATE_UNKNOWN
from hub.entity.entity import Entity, PlatformService

TEXT_MODES = ("text", "password")


class TextEntity(Entity):
    """A text. Set ``_attr_native_value``; implement :meth:`async_set_native_value`."""

    platform: ClassVar[str] = "text"
    platform_services: ClassVar[tuple[PlatformService, ...]] = (
        PlatformService("set_value", "async_handle_set_value", {vol.Required("value"): str}),
    )
    _attr_native_value: str | None = None
    _attr_native_min: int = 0
    _attr_native_max: int = 255
    _attr_pattern: str | None = None
    _attr_mode: str = "text"

    @property
    def native_value(self) -> str | None:
        """The current text."""
        return self._attr_native_value

    @property
    def state(self) -> str:
        """The text, or ``unknown``."""
        value = self.native_value
        return STATE_UNKNOWN if value is None else value

    @property
    def platform_attributes(self) -> dict[str, Any]:
        """Limits, pattern and mode."""
        attrs: dict[str, Any] = {
            "min": self._attr_native_min,
            "max": self._attr_native_max,
            "mode": self._attr_mode,
        }
        if self._attr_pattern is not None:
            attrs["pattern"] = self._attr_pattern
        return attrs

    async def async_handle_set_value(self, value: str) -> None:
        """Check length and pattern, then set."""
        if not self._attr_native_min <= len(value) <= self._attr_native_max:
            raise ServiceValidationError(
                f"{self.entity_id} takes {self._attr_native_min} to {self._attr_native_max} "
                f"characters; got {len(value)}"
            )
        if self._attr_pattern is not None and re.fullmatch(self._attr_pattern, value) is None:
            raise ServiceValidationError(
                f"{value!r} does not match {self.entity_id}'s pattern {self._attr_pattern}"
            )
        await self.async_set_native_value(value)

    async def async_set_native_value(self, value: str) -> None:
        """Apply a new text."""
        raise NotImplementedError(f"{self.entity_id} cannot be set")
