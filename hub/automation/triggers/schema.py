"""Validating triggers written as ``platform: x`` (older) or ``trigger: x`` (newer).

The keys ``id``, ``variables``, ``enabled`` and ``alias`` belong to every trigger and are
removed before the platform's schema sees the mapping. The result is canonical:
``{"platform", "options", "id", "variables", "enabled", "alias"}``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import voluptuous as vol

from hub.automation.const import TRIGGER_COMMON_KEYS
from hub.automation.platforms import Platforms
from hub.automation.validators import Validator, ensure_mapping_list, template_complex
from hub.config import cv


class TriggerSchema:
    """Validators for one trigger and for lists of them, knowing the platforms."""

    def __init__(self, platforms: Platforms) -> None:
        self._platforms = platforms
        self.triggers: Validator = vol.All(ensure_mapping_list, [self.trigger])

    def trigger(self, value: Any) -> dict[str, Any]:
        """Validate one trigger."""
        if not isinstance(value, Mapping):
            raise vol.Invalid(f"expected a trigger mapping, got {cv.describe(value)}")
        if "platform" in value and "trigger" in value:
            raise vol.Invalid("use either 'platform:' or 'trigger:', not both", path=["trigger"])
        key = "trigger" if "trigger" in value else "platform"
        if key not in value:
            raise vol.Invalid("a trigger needs 'trigger:' (or 'platform:') naming its type")
        name = value[key]
        if not isinstance(name, str):
            raise vol.Invalid(f"expected a trigger type, got {cv.describe(name)}", path=[key])
        platform = self._platforms.triggers.get(name)
        if platform is None:
            raise vol.Invalid(self._unknown(name), path=[key])
        options = {k: v for k, v in value.items() if k not in TRIGGER_COMMON_KEYS}
        return {
            "platform": str(name),
            "options": platform.schema(options),
            **self._common(value),
        }

    @staticmethod
    def _common(value: Mapping[str, Any]) -> dict[str, Any]:
        common: dict[str, Any] = {"id": None, "alias": None, "variables": {}, "enabled": True}
        for key, validator in (
            ("id", cv.string),
            ("alias", cv.string),
            ("variables", _mapping),
            ("enabled", cv.boolean),
        ):
            if key in value:
                try:
                    common[key] = validator(value[key])
                except vol.Invalid as err:
                    raise vol.Invalid(err.msg, path=[key]) from None
        return common

    def _unknown(self, name: str) -> str:
        known = sorted(self._platforms.triggers)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
        return f"unknown trigger platform '{name}' ({hint})"


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise vol.Invalid(f"expected a mapping of variables, got {cv.describe(value)}")
    return dict(template_complex(value))
