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


class ValueTemplate:
    """A compiled value template; :meth:`render` turns a message into text."""

    __slots__ = ("_path", "_template", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._template = _compile(source)
        self._path = _simple_path(source)

    def render(self, message: ReceivedMessage) -> str:
        """Render with ``value`` (payload text) and ``value_json`` (parsed, if JSON)."""
        path = self._path
        if path is not None:
            # The direct lookup: a string, an integer or a float at the path renders as
            # Jinja would render it; anything else (missing, null, bool…) goes to Jinja.
            current = message.json_or_error()
            for key in path:
                if type(current) is not dict:
                    break
                current = current.get(key, _MISSING)
            else:
                kind = type(current)
                if kind is str:
                    return current  # type: ignore[no-any-return]
                if kind is float or kind is int:
                    return str(current)
        value_json = message.json_or_error()
        if isinstance(value_json, ValueError):
            value_json = jinja2.Undefined(name="value_json")
        return self.render_with({"value": message.text, "value_json": value_json})

    def render_with(self, variables: Mapping[str, Any]) -> str:
        """Render with arbitrary variables (command templates, ``payload_template``)."""
        try:
            return self._template.render(variables)
        except Exception as err:
            raise TemplateError(f"template {self.source!r} failed: {err}") from err


def template_or_none(source: str | None) -> ValueTemplate | None:
    """A compiled template, or None when no source is given."""
    return None if source is None else ValueTemplate(source)
