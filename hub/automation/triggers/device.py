"""``platform: device``: fires when a device goes offline (or comes back online).

A device is *offline* when its connectivity entity (a ``binary_sensor`` of the device with
``device_class: connectivity``) is ``off`` or ``unavailable``; a device without one is
offline when every one of its entities is ``unavailable`` (or has no state). ``type:
offline`` fires on the change from online to offline, ``type: online`` on the way back;
``for`` requires the new condition to hold that long. The device's entities are read from
the entity registry when the automation starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.platforms import TriggerFire, TriggerPlatform, Unsubscribe
from hub.automation.tracking import state_index
from hub.automation.triggers.common import PendingTimers, fire_after
from hub.automation.validators import period_or_template, strict
from hub.config import cv
from hub.core.bus import Event
from hub.core.state import STATE_OFF, STATE_UNAVAILABLE

if TYPE_CHECKING:
    from hub.core.hub import Hub

SCHEMA = strict(
    {
        vol.Required("device_id"): cv.string,
        vol.Required("type"): cv.one_of("offline", "online"),
        vol.Optional("for"): period_or_template,
        vol.Optional("domain"): cv.string,
    }
)


def connectivity_entity(hub: Hub, entity_ids: list[str]) -> str | None:
    """The device's connectivity binary sensor, if it has one."""
    for entity_id in entity_ids:
        state = hub.states.get(entity_id)
        if (
            entity_id.startswith("binary_sensor.")
            and state is not None
            and state.attributes.get("device_class") == "connectivity"
        ):
            return entity_id
    return None


def is_offline(hub: Hub, entity_ids: list[str], connectivity: str | None) -> bool:
    """Whether the device currently counts as offline (see the module docs)."""
    if connectivity is not None:
        state = hub.states.get(connectivity)
        return state is None or state.state in (STATE_OFF, STATE_UNAVAILABLE)
    if not entity_ids:
        return False
    for entity_id in entity_ids:
        state = hub.states.get(entity_id)
        if state is not None and state.state != STATE_UNAVAILABLE:
            return False
    return True


def attach(hub: Hub, config: Mapping[str, Any], fire: TriggerFire) -> Unsubscribe:
    """Watch the device's entities."""
    device_id: str = config["device_id"]
    want_offline = config["type"] == "offline"
    entity_ids = sorted(e.entity_id for e in hub.entity_registry.for_device(device_id))
    connectivity = connectivity_entity(hub, entity_ids)
    watched = [connectivity] if connectivity is not None else entity_ids
    timers = PendingTimers(hub)
    offline = is_offline(hub, entity_ids, connectivity)

    def on_change(event: Event) -> None:
        nonlocal offline
        now_offline = is_offline(hub, entity_ids, connectivity)
        if now_offline == offline:
            return
        offline = now_offline
        if now_offline != want_offline:
            timers.cancel(device_id)
            return
        variables: dict[str, Any] = {
            "platform": "device",
            "device_id": device_id,
            "type": config["type"],
            "entity_id": event.data["entity_id"],
            "for": None,
            "description": f"device {device_id} {config['type']}",
        }
        fire_after(
            hub,
            timers,
            device_id,
            config.get("for"),
            variables,
            lambda data: fire(data, event.context),
            fire.trigger_variables,
        )

    unsubscribe = state_index(hub).track_entities(watched, on_change)

    def detach() -> None:
        unsubscribe()
        timers.cancel_all()

    return detach


PLATFORM = TriggerPlatform("device", SCHEMA, attach)
