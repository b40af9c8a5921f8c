"""``platform: state``: fires when an entity's state (or one attribute) changes as described.

Without ``from``/``to``/``not_from``/``not_to`` any change fires, attribute changes
included; with at least one of them (``to:`` left empty counts) only changes of the state
value fire. ``for`` waits until the new value has held that long.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.platforms import TriggerFire, TriggerPlatform, Unsubscribe
from hub.automation.tracking import state_index
from hub.automation.triggers.common import PendingTimers, fire_after
from hub.automation.validators import period_or_template, state_values, strict
from hub.config import cv
from hub.core.bus import Event
from hub.core.state import State

if TYPE_CHECKING:
    from hub.core.hub import Hub

_VALUE_KEYS = ("from", "to", "not_from", "not_to")


def _exclusive(config: dict[str, Any]) -> dict[str, Any]:
    for first, second in (("from", "not_from"), ("to", "not_to")):
        if config.get(first) is not None and config.get(second) is not None:
            raise vol.Invalid(f"use either '{first}' or '{second}', not both")
    return config


SCHEMA = strict(
    {
        vol.Required("entity_id"): cv.entity_ids,
        vol.Optional("from"): state_values,
        vol.Optional("to"): state_values,
        vol.Optional("not_from"): state_values,
        vol.Optional("not_to"): state_values,
        vol.Optional("attribute"): cv.string,
        vol.Optional("for"): period_or_template,
    },
    _exclusive,
)


def _value(state: State | None, attribute: str | None) -> Any:
    if state is None:
        return None
    if attribute is None:
        return state.state
    return state.attributes.get(attribute)


def _allowed(value: Any, wanted: list[str] | None, unwanted: list[str] | None) -> bool:
    text = None if value is None else str(value)
    if wanted is not None and text not in wanted:
        return False
    return unwanted is None or text not in unwanted


def attach(hub: Hub, config: Mapping[str, Any], fire: TriggerFire) -> Unsubscribe:
    """Watch the configured entities."""
    attribute: str | None = config.get("attribute")
    from_states, to_states = config.get("from"), config.get("to")
    not_from, not_to = config.get("not_from"), config.get("not_to")
    any_change = attribute is None and not any(key in config for key in _VALUE_KEYS)
    period = config.get("for")
    timers = PendingTimers(hub)

    def on_change(event: Event) -> None:
        entity_id: str = event.data["entity_id"]
        old: State | None = event.data["old_state"]
        new: State | None = event.data["new_state"]
        if new is None:
            timers.cancel(entity_id)
            return
        old_value, new_value = _value(old, attribute), _value(new, attribute)
        if not any_change and old_value == new_value:
            return
        if entity_id in timers:
            if _allowed(new_value, to_states, not_to) and not any_change:
                return
            timers.cancel(entity_id)
        if not _allowed(old_value, from_states, not_from):
            return
        if not _allowed(new_value, to_states, not_to):
            return
        variables: dict[str, Any] = {
            "platform": "state",
            "entity_id": entity_id,
            "from_state": old,
            "to_state": new,
            "attribute": attribute,
            "for": None,
            "description": f"state of {entity_id}",
        }
        fire_after(
            hub,
            timers,
            entity_id,
            period,
            variables,
            lambda data: fire(data, event.context),
            fire.trigger_variables,
        )

    unsubscribe = state_index(hub).track_entities(config["entity_id"], on_change)

    def detach() -> None:
        unsubscribe()
        timers.cancel_all()

    return detach


PLATFORM = TriggerPlatform("state", SCHEMA, attach)
