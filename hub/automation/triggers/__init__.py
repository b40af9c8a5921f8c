"""The built-in trigger platforms, each with the plugin contract ``(schema, attach)``."""

from hub.automation.platforms import TriggerPlatform
from hub.automation.triggers import (
    device,
    event,
    lifecycle,
    numeric_state,
    state,
    template,
    time,
    time_pattern,
)

BUILTIN_TRIGGERS: tuple[TriggerPlatform, ...] = (
    state.PLATFORM,
    numeric_state.PLATFORM,
    template.PLATFORM,
    time.PLATFORM,
    time_pattern.PLATFORM,
    event.PLATFORM,
    lifecycle.HUB_PLATFORM,
    lifecycle.HOMEASSISTANT_PLATFORM,
    device.PLATFORM,
)

__all__ = ["BUILTIN_TRIGGERS"]
