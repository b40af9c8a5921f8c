"""Validating conditions in every form Home Assistant accepts.

A condition is a mapping with ``condition:`` (``state``, ``numeric_state``, ``template``,
``time``, ``trigger``, ``and``, ``or``, ``not`` or a plugin's type), a template string
(shorthand for a template condition), or a mapping with one of ``and:``/``or:``/``not:``
holding a list (shorthand for the logical conditions). The result is canonical:
``{"condition": type, "options": {...}}`` or ``{"condition": "and", "conditions": [...]}``
plus ``alias`` and ``enabled``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import voluptuous as vol

from hub.automation.const import CONDITION_COMMON_KEYS
from hub.automation.platforms import Platforms
from hub.automation.templates import is_template_string
from hub.automation.validators import Validator, ensure_mapping_list, template
from hub.config import cv

LOGICAL = ("and", "or", "not")


def _common(value: Mapping[str, Any]) -> dict[str, Any]:
    common: dict[str, Any] = {"enabled": True}
    if "alias" in value:
        common["alias"] = cv.string(value["alias"])
    if "enabled" in value:
        try:
            common["enabled"] = cv.boolean(value["enabled"])
        except vol.Invalid as err:
            raise vol.Invalid(err.msg, path=["enabled"]) from None
    return common


def _template_condition(source: Any) -> dict[str, Any]:
    return {"condition": "template", "options": {"value_template": template(source)}}


class ConditionSchema:
    """Validators for one condition and for lists of them, knowing the platforms."""

    def __init__(self, platforms: Platforms) -> None:
        self._platforms = platforms
        self.conditions: Validator = vol.All(ensure_mapping_list, [self.condition])

    def condition(self, value: Any) -> dict[str, Any]:
        """Validate one condition in any accepted form."""
        if isinstance(value, str):
            return {**_template_condition(value), "enabled": True}
        if not isinstance(value, Mapping):
            raise vol.Invalid(
                f"expected a condition mapping or a template, got {cv.describe(value)}"
            )
        if "condition" not in value:
            return self._shorthand(value)
        kind = value["condition"]
        if isinstance(kind, str) and is_template_string(kind):
            self._no_extra(value, ("condition", "alias", "enabled"))
            return {**_template_condition(kind), **_common(value)}
        if not isinstance(kind, str):
            raise vol.Invalid(f"expected a condition type, got {cv.describe(kind)}", ["condition"])
        if kind in LOGICAL:
            self._no_extra(value, ("condition", "conditions", "alias", "enabled"))
            if "conditions" not in value:
                raise vol.Invalid(f"'{kind}' needs a list under 'conditions'")
            return {
                "condition": kind,
                "conditions": self._nested(value["conditions"], "conditions"),
                **_common(value),
            }
        platform = self._platforms.conditions.get(kind)
        if platform is None:
            raise vol.Invalid(self._unknown(kind), path=["condition"])
        options = {k: v for k, v in value.items() if k not in CONDITION_COMMON_KEYS}
        return {"condition": kind, "options": platform.schema(options), **_common(value)}

    def _shorthand(self, value: Mapping[str, Any]) -> dict[str, Any]:
        keys = [key for key in LOGICAL if key in value]
        if len(keys) != 1:
            raise vol.Invalid(
                "expected a 'condition:' key, a template, or one of 'and:', 'or:', 'not:'"
            )
        key = keys[0]
        self._no_extra(value, (key, "alias", "enabled"))
        return {"condition": key, "conditions": self._nested(value[key], key), **_common(value)}

    def _nested(self, value: Any, key: str) -> list[dict[str, Any]]:
        try:
            result: list[dict[str, Any]] = self.conditions(value)
        except vol.Invalid as err:
            err.prepend([key])
            raise
        return result

    @staticmethod
    def _no_extra(value: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = (
                    f"did you mean '{close[0]}'?" if close else f"valid keys: {', '.join(allowed)}"
                )
                raise vol.Invalid(f"unknown key '{key}' ({hint})", path=[key])

    def _unknown(self, kind: str) -> str:
        known = [*LOGICAL, *self._platforms.conditions]
        close = difflib.get_close_matches(kind, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(known))}"
        return f"unknown condition '{kind}' ({hint})"
