"""Validating actions: service calls and every built-in step, in old and new syntax.

The result is canonical: ``{"kind": "service" | "delay" | …, …}`` with the common
``alias``, ``enabled`` and ``continue_on_error``. A service call may be written with
``action:`` or ``service:`` (or ``service_template:``), data with ``data:`` or
``data_template:``, and targets under ``target:`` or as a top-level ``entity_id``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import voluptuous as vol

from hub.automation.conditions.schema import ConditionSchema
from hub.automation.const import ACTION_COMMON_KEYS
from hub.automation.platforms import Platforms
from hub.automation.templates import is_template_string
from hub.automation.triggers.schema import TriggerSchema
from hub.automation.validators import (
    Validator,
    ensure_mapping_list,
    period_or_template,
    strict,
    template,
    template_complex,
)
from hub.config import cv

_SERVICE = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")
_COMMON = {
    vol.Optional("alias"): cv.string,
    vol.Optional("enabled", default=True): cv.boolean,
    vol.Optional("continue_on_error", default=False): cv.boolean,
}
_KINDS = (
    "action",
    "service",
    "service_template",
    "delay",
    "wait_template",
    "wait_for_trigger",
    "choose",
    "if",
    "repeat",
    "variables",
    "stop",
    "event",
    "parallel",
    "sequence",
    "condition",
)


def service_name(value: Any) -> str:
    """``domain.service`` or a template that renders one."""
    text = cv.string(value)
    if is_template_string(text):
        return template(value)
    if not _SERVICE.match(text.strip()):
        raise vol.Invalid(
            "expected a service such as 'switch.turn_on' (domain.service), "
            f"got {cv.describe(value)}"
        )
    return value if isinstance(value, str) else text


def _data(value: Any) -> Any:
    if isinstance(value, str):
        return template(value)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise vol.Invalid(f"expected a mapping of data, got {cv.describe(value)}")
    return template_complex(value)


def _variables(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise vol.Invalid(
            f"expected a mapping of variable names to values, got {cv.describe(value)}"
        )
    return dict(template_complex(value))


def _entity_ids_or_template(value: Any) -> Any:
    if isinstance(value, str) and is_template_string(value):
        return template(value)
    return cv.entity_ids(value)


class ActionSchema:
    """Validators for one action and for sequences of them, knowing the platforms."""

    def __init__(self, platforms: Platforms) -> None:
        self._platforms = platforms
        self._conditions = ConditionSchema(platforms)
        self._triggers = TriggerSchema(platforms)
        self.actions: Validator = vol.All(ensure_mapping_list, [self.action])
        self.conditions: Validator = self._conditions.conditions
        self.triggers: Validator = self._triggers.triggers
        self._schemas = self._build()

    def _build(self) -> dict[str, Validator]:
        actions, conditions = self.actions, self.conditions
        target = vol.Schema(
            {
                vol.Optional("entity_id"): _entity_ids_or_template,
                vol.Optional("device_id"): vol.All(cv.ensure_list, [cv.string]),
                vol.Optional("area_id"): vol.All(cv.ensure_list, [cv.string]),
            }
        )
        timeout = {
            vol.Optional("timeout"): period_or_template,
            vol.Optional("continue_on_timeout", default=True): cv.boolean,
        }
        option = strict(
            {
                vol.Optional("alias"): cv.string,
                vol.Exclusive("conditions", "conditions"): conditions,
                vol.Exclusive("condition", "conditions"): conditions,
                vol.Required("sequence"): actions,
            }
        )
        repeat = strict(
            {
                vol.Exclusive("count", "repeat"): vol.Any(
                    vol.All(template, _dynamic), cv.positive_int
                ),
                vol.Exclusive("while", "repeat"): conditions,
                vol.Exclusive("until", "repeat"): conditions,
                vol.Exclusive("for_each", "repeat"): vol.Any(vol.All(str, template), list),
                vol.Required("sequence"): actions,
            },
            _one_repeat,
        )
        return {
            "service": strict(
                {
                    **_COMMON,
                    vol.Exclusive("action", "service"): service_name,
                    vol.Exclusive("service", "service"): service_name,
                    vol.Exclusive("service_template", "service"): service_name,
                    vol.Optional("target"): vol.Any(vol.All(str, template), target),
                    vol.Optional("data"): _data,
                    vol.Optional("data_template"): _data,
                    vol.Optional("entity_id"): _entity_ids_or_template,
                    vol.Optional("response_variable"): cv.string,
                    vol.Optional("metadata"): dict,
                }
            ),
            "delay": strict({**_COMMON, vol.Required("delay"): period_or_template}),
            "wait_template": strict(
                {**_COMMON, vol.Required("wait_template"): template, **timeout}
            ),
            "wait_for_trigger": strict(
                {**_COMMON, vol.Required("wait_for_trigger"): self.triggers, **timeout}
            ),
            "choose": strict(
                {
                    **_COMMON,
                    vol.Required("choose"): vol.All(ensure_mapping_list, [option]),
                    vol.Optional("default"): actions,
                }
            ),
            "if": strict(
                {
                    **_COMMON,
                    vol.Required("if"): conditions,
                    vol.Required("then"): actions,
                    vol.Optional("else"): actions,
                }
            ),
            "repeat": strict({**_COMMON, vol.Required("repeat"): repeat}),
            "variables": strict({**_COMMON, vol.Required("variables"): _variables}),
            "stop": strict(
                {
                    **_COMMON,
                    vol.Required("stop"): cv.string,
                    vol.Optional("error", default=False): cv.boolean,
                    vol.Optional("response_variable"): cv.string,
                }
            ),
            "event": strict(
                {
                    **_COMMON,
                    vol.Required("event"): cv.string,
                    vol.Optional("event_data"): _data,
                    vol.Optional("event_data_template"): _data,
                }
            ),
            "parallel": strict(
                {**_COMMON, vol.Required("parallel"): vol.All(ensure_mapping_list, [self._branch])}
            ),
            "sequence": strict({**_COMMON, vol.Required("sequence"): actions}),
        }

    def _branch(self, value: Any) -> list[dict[str, Any]]:
        if isinstance(value, list):
            return self.actions(value)  # type: ignore[no-any-return]
        return [self.action(value)]

    def action(self, value: Any) -> dict[str, Any]:
        """Validate one action."""
        if not isinstance(value, Mapping):
            raise vol.Invalid(f"expected an action mapping, got {cv.describe(value)}")
        kind = next((key for key in _KINDS if key in value), None)
        if kind is None:
            plugin = next((key for key in value if key in self._platforms.actions), None)
            if plugin is None:
                raise vol.Invalid(
                    "unknown action: expected one of 'action:', 'delay:', 'wait_template:', "
                    "'wait_for_trigger:', 'choose:', 'if:', 'repeat:', 'variables:', 'stop:', "
                    "'event:', 'parallel:', 'sequence:', 'condition:' or a plugin's action key"
                )
            return self._plugin(plugin, value)
        if kind == "condition":
            return self._condition_step(value)
        if kind in ("action", "service", "service_template"):
            return self._service(self._schemas["service"](value))
        validated: dict[str, Any] = self._schemas[kind](value)
        return {"kind": kind, **validated}

    def _condition_step(self, value: Mapping[str, Any]) -> dict[str, Any]:
        options = {k: v for k, v in value.items() if k != "continue_on_error"}
        condition = self._conditions.condition(options)
        return {
            "kind": "condition",
            "condition": condition,
            "alias": condition.get("alias"),
            "enabled": condition.get("enabled", True),
            "continue_on_error": cv.boolean(value.get("continue_on_error", False)),
        }

    @staticmethod
    def _service(value: dict[str, Any]) -> dict[str, Any]:
        name = value.pop("action", None) or value.pop("service", None)
        name = name or value.pop("service_template", None)
        if name is None:
            raise vol.Invalid("a service call needs 'action:' (or 'service:')")
        target = value.pop("target", None) or {}
        legacy = value.pop("entity_id", None)
        if legacy is not None and isinstance(target, Mapping):
            target = {**target, "entity_id": legacy}
        value.pop("metadata", None)
        return {
            "kind": "service",
            "service": name,
            "target": target,
            "data": value.pop("data", {}),
            "data_template": value.pop("data_template", {}),
            **value,
        }

    def _plugin(self, key: str, value: Mapping[str, Any]) -> dict[str, Any]:
        platform = self._platforms.actions[key]
        common = vol.Schema(_COMMON, extra=vol.REMOVE_EXTRA)(dict(value))
        options = {k: v for k, v in value.items() if k not in ACTION_COMMON_KEYS}
        return {"kind": "plugin", "key": key, "options": platform.schema(options), **common}


def _dynamic(value: str) -> str:
    if not is_template_string(value):
        raise vol.Invalid("not a template")
    return value


def _one_repeat(value: dict[str, Any]) -> dict[str, Any]:
    if not any(key in value for key in ("count", "while", "until", "for_each")):
        raise vol.Invalid("'repeat' needs one of 'count', 'while', 'until' or 'for_each'")
    return value
