"""The built-in condition types, each with the plugin contract ``(schema, build)``.

``build(hub, config)`` returns ``check(variables) -> bool``. ``and``/``or``/``not`` are
structural and live in :mod:`hub.automation.conditions.compile`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.numeric import NumericCheck
from hub.automation.platforms import ConditionCheck, ConditionPlatform
from hub.automation.template_tracker import result_as_boolean
from hub.automation.templates import Template
from hub.automation.templates.environment import hub_time_zone
from hub.automation.templates.helpers import parse_datetime
from hub.automation.triggers.common import resolve_period
from hub.automation.triggers.time import WEEKDAYS, time_or_entity, weekdays
from hub.automation.validators import (
    has_at_least_one,
    period_or_template,
    state_values,
    strict,
    template,
    threshold,
)
from hub.config import cv

if TYPE_CHECKING:
    from hub.core.hub import Hub

STATE_SCHEMA = strict(
    {
        vol.Required("entity_id"): cv.entity_ids,
        vol.Required("state"): vol.All(state_values, vol.Length(min=1)),
        vol.Optional("attribute"): cv.string,
        vol.Optional("for"): period_or_template,
        vol.Optional("match", default="all"): cv.one_of("all", "any"),
    }
)


def build_state(hub: Hub, config: Mapping[str, Any]) -> ConditionCheck:
    """Entities are (all or any) in one of the states, optionally for a while."""
    wanted: list[str] = config["state"]
    attribute: str | None = config.get("attribute")
    period = config.get("for")
    combine = all if config["match"] == "all" else any

    def one(entity_id: str, variables: Mapping[str, Any]) -> bool:
        state = hub.states.get(entity_id)
        if state is None:
            return False
        value: Any = state.state if attribute is None else state.attributes.get(attribute)
        if value is None or (str(value) not in wanted and value not in wanted):
            return False
        if period is None:
            return True
        needed = resolve_period(hub, period, variables).total_seconds()
        return hub.clock.time() - state.last_changed.timestamp() >= needed

    def check(variables: Mapping[str, Any]) -> bool:
        return combine(one(entity_id, variables) for entity_id in config["entity_id"])

    return check


NUMERIC_SCHEMA = strict(
    {
        vol.Required("entity_id"): cv.entity_ids,
        vol.Optional("above"): threshold,
        vol.Optional("below"): threshold,
        vol.Optional("attribute"): cv.string,
        vol.Optional("value_template"): template,
    },
    has_at_least_one("above", "below"),
)


def build_numeric(hub: Hub, config: Mapping[str, Any]) -> ConditionCheck:
    """Every entity's number lies strictly between ``above`` and ``below``."""
    numeric = NumericCheck(hub, config)

    def check(variables: Mapping[str, Any]) -> bool:
        return all(
            numeric.matches(hub.states.get(entity_id), variables)
            for entity_id in config["entity_id"]
        )

    return check


TEMPLATE_SCHEMA = strict({vol.Required("value_template"): template})


def build_template(hub: Hub, config: Mapping[str, Any]) -> ConditionCheck:
    """The template renders true (``true``, ``on``, ``yes`` or a non-zero number)."""
    compiled = Template(config["value_template"], hub)

    def check(variables: Mapping[str, Any]) -> bool:
        return result_as_boolean(compiled.render(variables))

    return check


TIME_SCHEMA = strict(
    {
        vol.Optional("after"): time_or_entity,
        vol.Optional("before"): time_or_entity,
        vol.Optional("weekday"): weekdays,
    },
    has_at_least_one("after", "before", "weekday"),
)


def _bound(hub: Hub, value: dt.time | str, tz: dt.tzinfo) -> dt.time | dt.datetime | None:
    if isinstance(value, dt.time):
        return value
    state = hub.states.get(value)
    if state is None:
        return None
    if state.domain == "input_datetime" and not state.attributes.get("has_date"):
        try:
            return cv.time(state.state)
        except vol.Invalid:
            return None
    moment = parse_datetime(state.state)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def build_time(hub: Hub, config: Mapping[str, Any]) -> ConditionCheck:
    """The local time is after ``after`` and before ``before`` (across midnight when
    ``after`` is later than ``before``), on one of ``weekday``."""
    tz = hub_time_zone(hub)

    def check(_variables: Mapping[str, Any]) -> bool:
        now = hub.clock.now().astimezone(tz)
        days = config.get("weekday")
        if days is not None and WEEKDAYS[now.weekday()] not in days:
            return False
        after = _bound(hub, config["after"], tz) if "after" in config else dt.time(0)
        before = _bound(hub, config["before"], tz) if "before" in config else None
        if after is None or ("before" in config and before is None):
            return False
        if isinstance(after, dt.datetime) or isinstance(before, dt.datetime):
            ok_after = now >= after if isinstance(after, dt.datetime) else now.time() >= after
            if before is None:
                return ok_after
            ok_before = now < before if isinstance(before, dt.datetime) else now.time() < before
            return ok_after and ok_before
        current = now.time().replace(microsecond=0)
        if before is None:
            return current >= after
        if after <= before:
            return after <= current < before
        return current >= after or current < before

    return check


TRIGGER_SCHEMA = strict({vol.Required("id"): vol.All(cv.ensure_list, [cv.string])})


def build_trigger(_hub: Hub, config: Mapping[str, Any]) -> ConditionCheck:
    """The run was started by a trigger with one of the ids."""
    ids = set(config["id"])

    def check(variables: Mapping[str, Any]) -> bool:
        trigger = variables.get("trigger")
        return isinstance(trigger, Mapping) and str(trigger.get("id")) in ids

    return check


BUILTIN_CONDITIONS: tuple[ConditionPlatform, ...] = (
    ConditionPlatform("state", STATE_SCHEMA, build_state),
    ConditionPlatform("numeric_state", NUMERIC_SCHEMA, build_numeric),
    ConditionPlatform("template", TEMPLATE_SCHEMA, build_template),
    ConditionPlatform("time", TIME_SCHEMA, build_time),
    ConditionPlatform("trigger", TRIGGER_SCHEMA, build_trigger),
)
