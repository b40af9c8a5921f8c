"""The hub's Jinja2 environment: an immutable sandbox with Home Assistant's helpers.

Every call and attribute read is charged to the render's budget, ``range`` is bounded and
counted, and ``*``, ``**`` and ``%`` are checked so a template cannot build huge values.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from functools import cache, partial
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.runtime import Context as JinjaContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from hub.automation.templates import helpers
from hub.automation.templates.errors import TemplateError
from hub.automation.templates.render_info import (
    CURRENT_BUDGET,
    DEFAULT_LIMITS,
    TemplateLimits,
    tick,
)
from hub.automation.templates.states import AllStates, expand, get_state
from hub.core.keys import HubKey
from hub.core.state import STATE_UNAVAILABLE, STATE_UNKNOWN

if TYPE_CHECKING:
    from hub.core.hub import Hub

_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\d+)")


class CountedRange:
    """``range`` for templates: bounded in length and charged per step."""

    __slots__ = ("_range",)

    def __init__(self, *args: int) -> None:
        self._range = range(*args)
        limit = _limits().max_range
        if len(self._range) > limit:
            raise TemplateError(f"range of {len(self._range)} items; the limit is {limit}")

    def __iter__(self) -> Iterator[int]:
        for value in self._range:
            tick()
            yield value

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: int) -> int:
        return self._range[index]

    def __contains__(self, value: object) -> bool:
        return value in self._range

    def __repr__(self) -> str:
        return repr(self._range)


def _limits() -> TemplateLimits:
    budget = CURRENT_BUDGET.get()
    return DEFAULT_LIMITS if budget is None else budget.limits


def _size(value: Any) -> int | None:
    if isinstance(value, str | bytes | list | tuple):
        return len(value)
    return None


class HubSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with work accounting; otherwise Jinja2's immutable sandbox."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call(__self, __context: JinjaContext, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Charge the budget, then call like the sandbox does."""
        tick()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Charge the budget, then read like the sandbox does."""
        tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Charge the budget, then index like the sandbox does."""
        tick()
        return super().getitem(obj, argument)

    def call_binop(self, context: JinjaContext, operator: str, left: Any, right: Any) -> Any:
        """Refuse ``*``, ``**`` and ``%`` whose result would exceed the output limit."""
        tick()
        limit = _limits().max_output
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(count, int) and size * count > limit:
                    raise TemplateError(f"'*' would build a value over {limit} items")
            return left * right
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > 1000:
                raise TemplateError("'**' exponent above 1000")
            return left**right
        if isinstance(left, str):
            for width in _FORMAT_WIDTH.findall(left):
                if int(width) > limit:
                    raise TemplateError(f"'%' format width over {limit}")
        return left % right


HubKeyEnv: HubKey[HubSandbox] = HubKey("automation.template_environment")


def _time_zone(hub: Hub) -> dt.tzinfo:
    name = getattr(hub.settings, "time_zone", "UTC")
    try:
        return zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def hub_time_zone(hub: Hub) -> dt.tzinfo:
    """The hub's configured time zone (UTC when unset or unknown)."""
    return _time_zone(hub)


def _state_functions(hub: Hub) -> dict[str, Any]:
    machine = hub.states

    def is_state(entity_id: str, state: Any) -> bool:
        current = get_state(machine, entity_id)
        if current is None:
            return False
        if isinstance(state, list | tuple):
            return current.state in [str(item) for item in state]
        return current.state == str(state)

    def state_attr(entity_id: str, name: str) -> Any:
        current = get_state(machine, entity_id)
        return None if current is None else current.attributes.get(name)

    def is_state_attr(entity_id: str, name: str, value: Any) -> bool:
        current = get_state(machine, entity_id)
        return current is not None and current.attributes.get(name, helpers.MISSING) == value

    def has_value(entity_id: str) -> bool:
        current = get_state(machine, entity_id)
        return current is not None and current.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE)

    return {
        "states": AllStates(machine),
        "is_state": is_state,
        "state_attr": state_attr,
        "is_state_attr": is_state_attr,
        "has_value": has_value,
        "expand": partial(expand, machine),
    }


def build_environment(hub: Hub) -> HubSandbox:
    """A sandbox whose globals read ``hub``'s states and clock."""
    env = HubSandbox(
        undefined=jinja2.Undefined,
        extensions=["jinja2.ext.loopcontrols"],
        autoescape=False,
        keep_trailing_newline=False,
    )
    conversions: dict[str, Any] = {
        "float": helpers.to_float,
        "int": helpers.to_int,
        "bool": helpers.to_bool,
        "as_timestamp": helpers.as_timestamp,
        "as_datetime": helpers.as_datetime,
        "min": helpers.minimum,
        "max": helpers.maximum,
        "average": helpers.average,
        "iif": helpers.iif,
        "is_number": helpers.is_number,
        "from_json": helpers.from_json,
        "to_json": helpers.to_json,
    }
    time_functions = helpers.make_time_functions(hub.clock.now, _time_zone(hub))
    state_functions = _state_functions(hub)
    env.globals.update(conversions)
    env.globals.update(time_functions)
    env.globals.update(state_functions)
    env.globals["range"] = CountedRange
    env.filters.update(conversions)
    env.filters["relative_time"] = time_functions["relative_time"]
    env.filters["expand"] = state_functions["expand"]
    env.filters["is_state"] = state_functions["is_state"]
    env.filters["state_attr"] = state_functions["state_attr"]
    env.filters["has_value"] = state_functions["has_value"]
    env.tests["is_number"] = helpers.is_number
    env.tests["has_value"] = state_functions["has_value"]
    return env


def environment_for(hub: Hub) -> HubSandbox:
    """The hub's shared template environment (built on first use)."""
    env = hub.data.get(HubKeyEnv)
    if env is None:
        env = build_environment(hub)
        hub.data[HubKeyEnv] = env
    return env


@cache
def _syntax_environment() -> HubSandbox:
    return HubSandbox(extensions=["jinja2.ext.loopcontrols"])


def check_syntax(source: str) -> None:
    """Raise :class:`TemplateError` if ``source`` is not valid Jinja2 syntax."""
    try:
        _syntax_environment().parse(source)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(f"invalid template (line {err.lineno}): {err.message}") from None
