"""Reading a number from a state and comparing it with ``above``/``below``.

Shared by the ``numeric_state`` trigger and condition. A state that is missing,
``unknown``, ``unavailable`` or not a number never matches.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hub.automation.templates import Template, TemplateError
from hub.core.state import State

if TYPE_CHECKING:
    from hub.core.hub import Hub


def as_number(value: Any) -> float | None:
    """``value`` as a finite float, or None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class NumericCheck:
    """``above < value < below`` for one state, reading thresholds that are entity ids."""

    __slots__ = ("_above", "_attribute", "_below", "_hub", "_template")

    def __init__(self, hub: Hub, config: Mapping[str, Any]) -> None:
        self._hub = hub
        self._above: float | str | None = config.get("above")
        self._below: float | str | None = config.get("below")
        self._attribute: str | None = config.get("attribute")
        source = config.get("value_template")
        self._template = None if source is None else Template(source, hub)

    def value(self, state: State | None, variables: Mapping[str, Any] | None = None) -> Any:
        """The raw value the check compares (before conversion to a number)."""
        if state is None:
            return None
        if self._template is not None:
            try:
                return self._template.render({**(variables or {}), "state": state})
            except TemplateError:
                return None
        if self._attribute is not None:
            return state.attributes.get(self._attribute)
        return state.state

    def _threshold(self, limit: float | str | None) -> float | None:
        if limit is None or isinstance(limit, float):
            return limit
        other = self._hub.states.get(limit)
        return None if other is None else as_number(other.state)

    def matches(self, state: State | None, variables: Mapping[str, Any] | None = None) -> bool:
        """True when the state's number lies strictly between the thresholds."""
        number = as_number(self.value(state, variables))
        if number is None:
            return False
        if self._above is not None:
            above = self._threshold(self._above)
            if above is None or number <= above:
                return False
        if self._below is not None:
            below = self._threshold(self._below)
            if below is None or number >= below:
                return False
        return True
