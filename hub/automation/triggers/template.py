"""``platform: template``: fires when a template's result turns true.

The template is re-rendered only when an entity it read changes (or each minute when it
reads the time). It fires on the change from false to true; a template that is already
true at start does not fire until it has been false. ``for`` requires it to stay true.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.platforms import TriggerFire, TriggerPlatform, Unsubscribe
from hub.automation.template_tracker import TemplateTracker, result_as_boolean
from hub.automation.templates import Template
from hub.automation.triggers.common import PendingTimers, fire_after
from hub.automation.validators import period_or_template, strict, template
from hub.core.bus import Event

if TYPE_CHECKING:
    from hub.core.hub import Hub

SCHEMA = strict(
    {
        vol.Required("value_template"): template,
        vol.Optional("for"): period_or_template,
    }
)
_KEY = "template"


def attach(hub: Hub, config: Mapping[str, Any], fire: TriggerFire) -> Unsubscribe:
    """Render now, then on every relevant change."""
    period = config.get("for")
    timers = PendingTimers(hub)
    last = False

    def on_result(result: Any, event: Event | None) -> None:
        nonlocal last
        now_true = result_as_boolean(result)
        was_true, last = last, now_true
        if not now_true:
            timers.cancel(_KEY)
            return
        if was_true:
            return
        data = event.data if event is not None else {}
        variables: dict[str, Any] = {
            "platform": "template",
            "entity_id": data.get("entity_id"),
            "from_state": data.get("old_state"),
            "to_state": data.get("new_state"),
            "for": None,
            "description": "template",
        }
        context = event.context if event is not None else None
        fire_after(
            hub,
            timers,
            _KEY,
            period,
            variables,
            lambda payload: fire(payload, context),
            fire.trigger_variables,
        )

    tracker = TemplateTracker(
        hub, Template(config["value_template"], hub), fire.trigger_variables, on_result
    )
    last = result_as_boolean(tracker.start())

    def detach() -> None:
        tracker.stop()
        timers.cancel_all()

    return detach


PLATFORM = TriggerPlatform("template", SCHEMA, attach)
