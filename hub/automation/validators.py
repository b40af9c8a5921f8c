"""Validators shared by the trigger, condition and action schemas.

Templates are syntax-checked at load; numbers written as text are accepted where Home
Assistant accepts them; unknown keys get a "did you mean".
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import voluptuous as vol

from hub.automation.templates import TemplateError, check_syntax, is_template_string
from hub.config import cv

Validator = Callable[[Any], Any]


def template(value: Any) -> str:
    """A Jinja2 template; its syntax is checked now."""
    if value is None or isinstance(value, bool | list | dict):
        raise vol.Invalid(f"expected a template, got {cv.describe(value)}")
    text = value if isinstance(value, str) else str(value)
    try:
        check_syntax(text)
    except TemplateError as err:
        raise vol.Invalid(str(err)) from None
    return text


def dynamic_template(value: Any) -> str:
    """Text that must contain template markup (``{{ … }}``)."""
    text = template(value)
    if not is_template_string(text):
        raise vol.Invalid(f"expected a template such as '{{{{ … }}}}', got {cv.describe(value)}")
    return text


def template_complex(value: Any) -> Any:
    """Nested data whose strings may be templates; every template's syntax is checked."""
    if isinstance(value, Mapping):
        result = {}
        for key, item in value.items():
            try:
                result[key] = template_complex(item)
            except vol.Invalid as err:
                err.prepend([key])
                raise
        return result
    if isinstance(value, list):
        items = []
        for index, item in enumerate(value):
            try:
                items.append(template_complex(item))
            except vol.Invalid as err:
                err.prepend([index])
                raise
        return items
    if isinstance(value, str) and is_template_string(value):
        return template(value)
    return value


def state_value(value: Any) -> str:
    """A state to compare with; YAML's ``on``/``off`` (read as booleans) become text."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | float | str):
        return str(value)
    raise vol.Invalid(f"expected a state such as 'on' or '21.5', got {cv.describe(value)}")


def state_values(value: Any) -> list[str] | None:
    """One state or a list of states; an empty value (``to:``) matches any state."""
    if value is None:
        return None
    return [state_value(item) for item in cv.ensure_list(value)]


def period_or_template(value: Any) -> timedelta | str:
    """A duration (``'00:05:00'``, ``300``, ``{minutes: 5}``) or a template that gives one."""
    if isinstance(value, str) and is_template_string(value):
        return template(value)
    if isinstance(value, Mapping) and any(
        isinstance(item, str) and is_template_string(item) for item in value.values()
    ):
        return template("{{ " + _mapping_expression(value) + " }}")
    return cv.positive_time_period(value)


def _mapping_expression(value: Mapping[Any, Any]) -> str:
    parts = []
    for key, item in value.items():
        if isinstance(item, str) and is_template_string(item):
            inner = item.strip().removeprefix("{{").removesuffix("}}").strip()
            parts.append(f"'{key}': ({inner})")
        else:
            parts.append(f"'{key}': {float(item)!r}")
    return "{" + ", ".join(parts) + "}"


def threshold(value: Any) -> float | str:
    """A number (``68``, ``'68'``) or the entity id of a number to compare with."""
    if isinstance(value, bool):
        raise vol.Invalid(f"expected a number or an entity id, got {cv.describe(value)}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
        try:
            return cv.entity_id(value)
        except vol.Invalid:
            pass
    raise vol.Invalid(
        f"expected a number such as 68 or an entity id such as input_number.limit, "
        f"got {cv.describe(value)}"
    )


def strict(schema: Mapping[Any, Any], *extra: Validator) -> Validator:
    """A mapping schema whose unknown keys are reported with a "did you mean"."""
    compiled = vol.Schema(dict(schema))
    known = [str(key.schema if isinstance(key, vol.Marker) else key) for key in schema]

    def validate(value: Any) -> Any:
        if value is None:
            value = {}
        if not isinstance(value, Mapping):
            raise vol.Invalid(f"expected a mapping, got {cv.describe(value)}")
        try:
            result = compiled(dict(value))
        except vol.MultipleInvalid as err:
            raise vol.MultipleInvalid([_suggest(error, known) for error in err.errors]) from None
        for check in extra:
            result = check(result)
        return result

    return validate


def _suggest(error: vol.Invalid, known: list[str]) -> vol.Invalid:
    if error.msg != "extra keys not allowed" or len(error.path) != 1:
        return error
    key = str(error.path[0])
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"valid keys: {', '.join(known)}"
    return vol.Invalid(f"unknown key '{key}' ({hint})", path=error.path)


def ensure_mapping_list(value: Any) -> list[Any]:
    """A list of items, where a single mapping stands for a list of one."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def has_at_least_one(*keys: str) -> Validator:
    """Require at least one of ``keys``."""

    def validate(value: Mapping[str, Any]) -> Mapping[str, Any]:
        if not any(key in value for key in keys):
            raise vol.Invalid(f"give at least one of {', '.join(repr(k) for k in keys)}")
        return value

    return validate
