"""``platform: numeric_state``: fires when a number crosses into the ``above``/``below`` range.

It fires on the crossing, not on every reading inside the range. Each entity is *armed*
while its value is outside the range (or missing, ``unknown``, ``unavailable``, not a
number); a reading inside the range fires only when armed, then disarms until the value
leaves the range again. At start an entity already inside the range is disarmed, unless
``fire_on_start: true``, which fires once for it. ``for`` requires the value to stay
inside the range that long; leaving the range cancels the wait.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.const import FIRE_ON_START
from hub.automation.numeric import NumericCheck
from hub.automation.platforms import TriggerFire, TriggerPlatform, Unsubscribe
from hub.automation.tracking import state_index
from hub.automation.triggers.common import PendingTimers, fire_after
from hub.automation.validators import (
    has_at_least_one,
    period_or_template,
    strict,
    template,
    threshold,
)
from hub.config import cv
from hub.core.bus import Event
from hub.core.context import Context
from hub.core.state import State

if TYPE_CHECKING:
    from hub.core.hub import Hub

SCHEMA = strict(
    {
        vol.Required("entity_id"): cv.entity_ids,
        vol.Optional("above"): threshold,
        vol.Optional("below"): threshold,
        vol.Optional("attribute"): cv.string,
        vol.Optional("value_template"): template,
        vol.Optional("for"): period_or_template,
        vol.Optional(FIRE_ON_START, default=False): cv.boolean,
    },
    has_at_least_one("above", "below"),
)


def attach(hub: Hub, config: Mapping[str, Any], fire: TriggerFire) -> Unsubscribe:
    """Arm each entity, then watch for crossings."""
    check = NumericCheck(hub, config)
    above, below = config.get("above"), config.get("below")
    period = config.get("for")
    timers = PendingTimers(hub)
    armed: dict[str, bool] = {}
    render_variables = fire.trigger_variables

    def crossed(entity_id: str, old: State | None, new: State, context: Context | None) -> None:
        variables: dict[str, Any] = {
            "platform": "numeric_state",
            "entity_id": entity_id,
            "below": below,
            "above": above,
            "from_state": old,
            "to_state": new,
            "for": None,
            "description": f"numeric state of {entity_id}",
        }
        fire_after(
            hub,
            timers,
            entity_id,
            period,
            variables,
            lambda data: fire(data, context),
            render_variables,
        )

    def on_change(event: Event) -> None:
        data = event.data
        entity_id: str = data["entity_id"]
        new: State | None = data["new_state"]
        if check.matches(new, render_variables):
            if armed[entity_id]:
                armed[entity_id] = False
                crossed(entity_id, data["old_state"], new, event.context)  # type: ignore[arg-type]
        else:
            armed[entity_id] = True
            timers.cancel(entity_id)

    for entity_id in config["entity_id"]:
        current = hub.states.get(entity_id)
        inside = check.matches(current, render_variables)
        armed[entity_id] = not inside
        if inside and config[FIRE_ON_START] and current is not None:
            crossed(entity_id, None, current, None)

    unsubscribe = state_index(hub).track_entities(config["entity_id"], on_change)

    def detach() -> None:
        unsubscribe()
        timers.cancel_all()

    return detach


PLATFORM = TriggerPlatform("numeric_state", SCHEMA, attach)
