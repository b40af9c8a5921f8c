"""Value templates (Jinja2, sandboxed) with ``value`` and ``value_json``.

Templates of the form ``{{ value_json.a.b }}`` / ``{{ value_json['a'] }}`` take a direct
path lookup that gives the same text as Jinja; anything else renders through an
:class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .models import ReceivedMessage

_ENV = ImmutableSandboxedEnvironment(undefined=jinja2.Undefined, autoescape=False)
_SIMPLE_PATH = re.compile(
    r"^\{\{-?\s*value_json((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\s*'[^'\]]+'\s*\]"
    r"|\[\s*\"[^\"\]]+\"\s*\])+)\s*-?\}\}$"
)
_PATH_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['\"]([^'\"]+)['\"]\s*\]")
_MISSING: Any = object()


class TemplateError(Exception):
    """A template failed to compile or render."""


def _compile(source: str) -> jinja2.Template:
    try:
        return _ENV.from_string(source)
    except jinja2.TemplateError as err:
        raise TemplateError(f"invalid template {source!r}: {err}") from err


def _simple_path(source: str) -> tuple[str, ...] | None:
    match = _SIMPLE_PATH.match(source.strip())
    if match is None:
        return None
    path = tuple(a or b for a, b in _PATH_PART.findall(match.group(1)))
    # Attribute syntax finds dict methods first in Jinja (value_json.items); keep Jinja there.
    return None if any(hasattr(dict, key) for key in path) else path


def _render_value(value: Any) -> str:
    # Jinja's text conversion of the common leaf types.
    return value if isinstance(value, str) else str(value)


class ValueTemplate:
    """A compiled value template; :meth:`render` turns a message into text."""

    __slots__ = ("_path", "_template", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._template = _compile(source)
        self._path = _simple_path(source)

    def render(self, message: ReceivedMessage) -> str:
        """Render with ``value`` (payload text) and ``value_json`` (parsed, if JSON)."""
        if self._path is not None:
            value = self._lookup(message)
            if value is not _MISSING:
                return _render_value(value)
        try:
            value_json: Any = message.json
        except ValueError:
            value_json = jinja2.Undefined(name="value_json")
        return self.render_with({"value": message.text, "value_json": value_json})

    def _lookup(self, message: ReceivedMessage) -> Any:
        try:
            current = message.json
        except ValueError:
            return _MISSING
        for key in self._path or ():
            if not isinstance(current, dict):
                return _MISSING
            current = current.get(key, _MISSING)
            if current is _MISSING:
                return _MISSING
        if isinstance(current, bool | dict | list) or current is None:
            return _MISSING
        return current

    def render_with(self, variables: Mapping[str, Any]) -> str:
        """Render with arbitrary variables (command templates, ``payload_template``)."""
        try:
            return self._template.render(variables)
        except Exception as err:
            raise TemplateError(f"template {self.source!r} failed: {err}") from err


def template_or_none(source: str | None) -> ValueTemplate | None:
    """A compiled template, or None when no source is given."""
    return None if source is None else ValueTemplate(source)
