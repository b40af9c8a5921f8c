"""``platform: event``: fires on bus events of a type whose data contains ``event_data``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.platforms import TriggerFire, TriggerPlatform, Unsubscribe
from hub.automation.validators import strict
from hub.config import cv
from hub.core.bus import Event

if TYPE_CHECKING:
    from hub.core.hub import Hub

SCHEMA = strict(
    {
        vol.Required("event_type"): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional("event_data", default={}): vol.Schema(dict),
    }
)


def contains(data: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    """True if ``data`` holds every key of ``wanted`` with an equal (or containing) value."""
    for key, value in wanted.items():
        if key not in data:
            return False
        actual = data[key]
        if isinstance(value, Mapping) and isinstance(actual, Mapping):
            if not contains(actual, value):
                return False
        elif actual != value:
            return False
    return True


def attach(hub: Hub, config: Mapping[str, Any], fire: TriggerFire) -> Unsubscribe:
    """Listen to each event type."""
    wanted: Mapping[str, Any] = config["event_data"]

    def matches(data: Mapping[str, Any]) -> bool:
        return contains(data, wanted)

    def on_event(event: Event) -> None:
        fire(
            {
                "platform": "event",
                "event": event,
                "description": f"event '{event.event_type}'",
            },
            event.context,
        )

    unsubs: list[Callable[[], None]] = [
        hub.bus.listen(event_type, on_event, event_filter=matches if wanted else None)
        for event_type in config["event_type"]
    ]

    def detach() -> None:
        for unsub in unsubs:
            unsub()

    return detach


PLATFORM = TriggerPlatform("event", SCHEMA, attach)
