"""Turning validated conditions into checks that record their results in a trace."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hub.automation.platforms import Platforms
from hub.automation.trace import Trace

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)

Condition = Callable[[Mapping[str, Any], Trace | None, str], bool]
"""``check(variables, trace, path) -> bool``; records a step at ``path`` when traced."""


def compile_condition(hub: Hub, platforms: Platforms, config: Mapping[str, Any]) -> Condition:
    """A traced check for one canonical condition."""
    kind: str = config["condition"]
    if not config.get("enabled", True):

        def disabled(_v: Mapping[str, Any], trace: Trace | None, path: str) -> bool:
            if trace is not None:
                trace.record(path, result=True, enabled=False)
            return True

        return disabled
    if kind in ("and", "or", "not"):
        return _logical(kind, [compile_condition(hub, platforms, c) for c in config["conditions"]])
    check = platforms.conditions[kind].build(hub, config["options"])

    def traced(variables: Mapping[str, Any], trace: Trace | None, path: str) -> bool:
        step = trace.begin(path) if trace is not None else None
        error = None
        try:
            result = bool(check(variables))
        except Exception as err:  # a failing condition is false, never a crashed run
            _LOGGER.warning("Condition %s failed: %s", kind, err)
            result, error = False, str(err)
        if trace is not None and step is not None:
            trace.end(step, error=error, result=result)
        return result

    return traced


def _logical(kind: str, children: list[Condition]) -> Condition:
    def check(variables: Mapping[str, Any], trace: Trace | None, path: str) -> bool:
        step = trace.begin(path) if trace is not None else None
        result = kind != "or"
        for index, child in enumerate(children):
            value = child(variables, trace, f"{path}/conditions/{index}")
            if kind == "and" and not value:
                result = False
                break
            if kind == "or" and value:
                result = True
                break
            if kind == "not" and value:
                result = False
                break
        if trace is not None and step is not None:
            trace.end(step, result=result)
        return result

    return check


def compile_conditions(
    hub: Hub, platforms: Platforms, configs: Sequence[Mapping[str, Any]]
) -> Callable[[Mapping[str, Any], Trace | None, str], bool]:
    """A check that is true when every condition is; each recorded at ``prefix/index``."""
    checks = [compile_condition(hub, platforms, config) for config in configs]

    def check_all(variables: Mapping[str, Any], trace: Trace | None, prefix: str) -> bool:
        for index, check in enumerate(checks):
            if not check(variables, trace, f"{prefix}/{index}"):
                return False
        return True

    return check_all


class ConditionCache:
    """Compiled condition lists of one automation, compiled once on first use."""

    def __init__(self, hub: Hub, platforms: Platforms) -> None:
        self._hub = hub
        self._platforms = platforms
        self._compiled: dict[int, tuple[Sequence[Mapping[str, Any]], Condition]] = {}

    def get(self, configs: Sequence[Mapping[str, Any]]) -> Condition:
        """The check for ``configs`` (a list owned by the automation's configuration)."""
        entry = self._compiled.get(id(configs))
        if entry is None or entry[0] is not configs:
            entry = (configs, compile_conditions(self._hub, self._platforms, configs))
            self._compiled[id(configs)] = entry
        return entry[1]

    def one(self, config: Mapping[str, Any]) -> Condition:
        """The check for a single condition (a condition step)."""
        entry = self._compiled.get(id(config))
        if entry is None or entry[0][0] is not config:
            entry = ([config], compile_condition(self._hub, self._platforms, config))
            self._compiled[id(config)] = entry
        return entry[1]
