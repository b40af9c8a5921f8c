"""Trigger, condition and action platforms: the built-in ones and those plugins register.

Built-in triggers use the same contract as plugin triggers
(``fieldhub_register_triggers``): ``register(platform, schema, attach)`` where
``attach(hub, config, fire)`` starts watching and returns a callable that stops it, and
``fire(variables)`` runs the automation. Conditions: ``build(hub, config)`` returns
``check(variables) -> bool``. Actions: ``await run(hub, config, variables)``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hub.core.context import Context

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.plugins.manager import PluginManager

Unsubscribe = Callable[[], None]
ConditionCheck = Callable[[Mapping[str, Any]], bool]
ConditionBuild = Callable[["Hub", Mapping[str, Any]], ConditionCheck]
ActionRun = Callable[["Hub", Mapping[str, Any], Mapping[str, Any]], Awaitable[Any]]
Schema = Callable[[Any], Any]


class TriggerFire:
    """The ``fire`` callable handed to ``attach``: ``fire(variables, context=None)``.

    ``variables`` become the ``trigger`` variable of the run (the engine adds ``platform``,
    ``id``, ``idx`` and ``alias``). ``trigger_variables`` holds the automation's rendered
    ``trigger_variables`` for platforms that render templates.
    """

    __slots__ = ("_callback", "trigger_variables")

    def __init__(
        self,
        callback: Callable[[Mapping[str, Any], Context | None], None],
        trigger_variables: Mapping[str, Any] | None = None,
    ) -> None:
        self._callback = callback
        self.trigger_variables: Mapping[str, Any] = trigger_variables or {}

    def __call__(self, variables: Mapping[str, Any], context: Context | None = None) -> None:
        self._callback(variables, context)


TriggerAttach = Callable[["Hub", Mapping[str, Any], TriggerFire], Unsubscribe]


@dataclass(frozen=True, slots=True)
class TriggerPlatform:
    """A trigger platform: its schema and how to attach it."""

    name: str
    schema: Schema
    attach: TriggerAttach
    source: str = "core"


@dataclass(frozen=True, slots=True)
class ConditionPlatform:
    """A condition type: its schema and how to build its check."""

    name: str
    schema: Schema
    build: ConditionBuild
    source: str = "core"


@dataclass(frozen=True, slots=True)
class ActionPlatform:
    """An action type recognised by ``key`` in an action mapping."""

    key: str
    schema: Schema
    run: ActionRun
    source: str


@dataclass(slots=True)
class Platforms:
    """Every platform the engine knows, by name."""

    triggers: dict[str, TriggerPlatform] = field(default_factory=dict)
    conditions: dict[str, ConditionPlatform] = field(default_factory=dict)
    actions: dict[str, ActionPlatform] = field(default_factory=dict)


def builtin_platforms() -> Platforms:
    """The platforms that ship with the hub."""
    from hub.automation.conditions.builtin import BUILTIN_CONDITIONS
    from hub.automation.triggers import BUILTIN_TRIGGERS

    return Platforms(
        triggers={platform.name: platform for platform in BUILTIN_TRIGGERS},
        conditions={platform.name: platform for platform in BUILTIN_CONDITIONS},
    )


def collect_platforms(plugins: PluginManager | None) -> Platforms:
    """Built-in platforms plus those registered through the plugin hooks.

    A plugin may not replace a built-in platform; the built-in one wins.
    """
    platforms = builtin_platforms()
    if plugins is None:
        return platforms
    for source, args, kwargs in plugins.collect("fieldhub_register_triggers"):
        name, schema, attach = _arguments(args, kwargs, ("platform", "schema", "attach"))
        platforms.triggers.setdefault(name, TriggerPlatform(name, schema, attach, source))
    for source, args, kwargs in plugins.collect("fieldhub_register_conditions"):
        name, schema, build = _arguments(args, kwargs, ("condition", "schema", "build"))
        platforms.conditions.setdefault(name, ConditionPlatform(name, schema, build, source))
    for source, args, kwargs in plugins.collect("fieldhub_register_actions"):
        key, schema, run = _arguments(args, kwargs, ("key", "schema", "run"))
        platforms.actions.setdefault(key, ActionPlatform(key, schema, run, source))
    return platforms


def _arguments(
    args: tuple[Any, ...], kwargs: dict[str, Any], names: tuple[str, str, str]
) -> tuple[Any, Any, Any]:
    values = dict(zip(names, args, strict=False))
    values.update({key: value for key, value in kwargs.items() if key in names})
    missing = [name for name in names if name not in values]
    if missing:
        raise TypeError(f"register() is missing {', '.join(missing)}")
    schema = values[names[1]]
    return values[names[0]], schema if schema is not None else dict, values[names[2]]
