"""Jinja2 templates for alert texts and conditions, with Home Assistant's state helpers.

Templates run in an immutable sandbox. ``states('sensor.x')``, ``is_state('sensor.x', 'on')``,
``state_attr('sensor.x', 'unit')`` and ``is_state_attr(...)`` read the hub's state machine;
every entity a render reads is remembered, so the caller can re-render when one of them changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from hub.core.state import STATE_UNKNOWN, StateMachine

_TRUE: Final = frozenset({"true", "on", "yes", "1", "enable", "enabled"})


class TemplateError(ValueError):
    """A template failed to parse or render; the message says where and why."""


def check_syntax(source: str) -> str:
    """Return ``source`` if it parses as a template, else raise :class:`TemplateError`."""
    try:
        ImmutableSandboxedEnvironment().parse(source)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(f"invalid template: {err.message} (line {err.lineno})") from None
    return source


def result_as_bool(text: str) -> bool:
    """Read a rendered condition as Home Assistant does: true, on, yes, 1 (any case) or a
    non-zero number are true; everything else is false."""
    cleaned = text.strip().lower()
    if cleaned in _TRUE:
        return True
    try:
        return float(cleaned) != 0
    except ValueError:
        return False


class TemplateEngine:
    """Compiles and renders templates against one state machine."""

    def __init__(self, states: StateMachine) -> None:
        self._states = states
        self._seen: set[str] | None = None
        env = ImmutableSandboxedEnvironment(undefined=jinja2.ChainableUndefined)
        env.globals.update(
            states=self._state_of,
            is_state=self._is_state,
            state_attr=self._state_attr,
            is_state_attr=self._is_state_attr,
        )
        self._env = env

    def compile(self, source: str) -> Template:
        """Compile ``source``; raises :class:`TemplateError` on a syntax error."""
        try:
            return Template(self, self._env.from_string(source))
        except jinja2.TemplateSyntaxError as err:
            raise TemplateError(f"invalid template: {err.message} (line {err.lineno})") from None

    def render_compiled(
        self, compiled: jinja2.Template, variables: Mapping[str, Any]
    ) -> tuple[str, set[str]]:
        """Render ``compiled``; return the text and the entity ids it read."""
        seen: set[str] = set()
        self._seen = seen
        try:
            return compiled.render(variables), seen
        except jinja2.TemplateError as err:
            raise TemplateError(f"template failed: {err}") from None
        except (TypeError, ValueError, ArithmeticError) as err:
            raise TemplateError(f"template failed: {err}") from None
        finally:
            self._seen = None

    def _track(self, entity_id: str) -> None:
        if self._seen is not None:
            self._seen.add(entity_id)

    def _state_of(self, entity_id: str) -> str:
        self._track(entity_id)
        state = self._states.get(entity_id)
        return state.state if state is not None else STATE_UNKNOWN

    def _is_state(self, entity_id: str, value: Any) -> bool:
        self._track(entity_id)
        state = self._states.get(entity_id)
        if state is None:
            return False
        if isinstance(value, list | tuple):
            return state.state in value
        return state.state == value

    def _state_attr(self, entity_id: str, name: str) -> Any:
        self._track(entity_id)
        state = self._states.get(entity_id)
        return state.attributes.get(name) if state is not None else None

    def _is_state_attr(self, entity_id: str, name: str, value: Any) -> bool:
        return bool(self._state_attr(entity_id, name) == value)


class Template:
    """One compiled template; :attr:`entities` are those its last render read."""

    def __init__(self, engine: TemplateEngine, compiled: jinja2.Template) -> None:
        self._engine = engine
        self._compiled = compiled
        self.entities: frozenset[str] = frozenset()

    def render(self, variables: Mapping[str, Any] | None = None) -> str:
        """Render to text; raises :class:`TemplateError` when rendering fails."""
        text, seen = self._engine.render_compiled(self._compiled, variables or {})
        self.entities = frozenset(seen)
        return text

    def render_bool(self, variables: Mapping[str, Any] | None = None) -> bool:
        """Render and read the result as a condition (see :func:`result_as_bool`)."""
        return result_as_bool(self.render(variables))
