"""Rendering message templates in a Jinja2 sandbox."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import voluptuous as vol
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from hub.api import ServiceValidationError

_ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@lru_cache(maxsize=256)
def _compile(source: str) -> Any:
    return _ENV.from_string(source)


def is_template(text: str) -> bool:
    """True if ``text`` contains Jinja2 markup."""
    return "{{" in text or "{%" in text


def render(source: str, variables: Mapping[str, Any]) -> str:
    """Render ``source`` with ``variables``; plain text is returned unchanged.

    Raises :class:`ServiceValidationError` when the template is broken or uses an undefined
    variable.
    """
    if not is_template(source):
        return source
    try:
        return str(_compile(source).render(**variables))
    except TemplateError as err:
        raise ServiceValidationError(f"template error: {err}") from err


def check(source: str) -> str:
    """Validate template syntax (for config schemas); return ``source``."""
    if is_template(source):
        try:
            _compile(source)
        except TemplateError as err:
            raise vol.Invalid(f"invalid template: {err}") from err
    return source
