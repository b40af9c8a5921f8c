"""``platform: hub`` (alias ``homeassistant``): fires when the hub starts or shuts down.

``event: start`` fires once when start-up completes; automations loaded later (a reload)
do not fire it. ``event: shutdown`` fires when the hub begins to stop; its actions get a
short grace period before the engine stops.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.platforms import TriggerFire, TriggerPlatform, Unsubscribe
from hub.automation.validators import strict
from hub.config import cv
from hub.core.bus import Event
from hub.core.events import EVENT_HUB_STARTED, EVENT_HUB_STOP
from hub.core.hub import RunState

if TYPE_CHECKING:
    from hub.core.hub import Hub

SCHEMA = strict({vol.Required("event"): cv.one_of("start", "shutdown")})


def _attach(platform: str) -> Any:
    def attach(hub: Hub, config: Mapping[str, Any], fire: TriggerFire) -> Unsubscribe:
        kind: str = config["event"]

        def on_event(event: Event) -> None:
            fire(
                {"platform": platform, "event": kind, "description": f"hub {kind}"},
                event.context,
            )

        if kind == "start":
            if hub.run_state is RunState.RUNNING:
                return lambda: None
            return hub.bus.listen_once(EVENT_HUB_STARTED, on_event)
        return hub.bus.listen_once(EVENT_HUB_STOP, on_event)

    return attach


HUB_PLATFORM = TriggerPlatform("hub", SCHEMA, _attach("hub"))
HOMEASSISTANT_PLATFORM = TriggerPlatform("homeassistant", SCHEMA, _attach("homeassistant"))
