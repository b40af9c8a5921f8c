"""The ``states`` object templates read: ``states('x')``, ``states.sensor.x``, iteration.

Every read is recorded in the render's :class:`RenderInfo`, so a template trigger knows
which entity changes can change its result.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from hub.automation.templates.render_info import current_info, tick
from hub.core.state import STATE_UNKNOWN, State

if TYPE_CHECKING:
    from hub.core.state import StateMachine


# Names Jinja2 probes on any object it calls or passes; never entity or domain names.
_PROBED = frozenset({"unsafe_callable", "alters_data", "jinja_pass_arg", "environmentfunction"})


def track_entity(entity_id: str) -> None:
    """Record that the render in progress read ``entity_id``."""
    info = current_info()
    if info is not None:
        info.entities.add(entity_id)


def track_domain(domain: str) -> None:
    """Record that the render in progress listed every entity of ``domain``."""
    info = current_info()
    if info is not None:
        info.domains.add(domain)


def track_all() -> None:
    """Record that the render in progress listed every entity."""
    info = current_info()
    if info is not None:
        info.all_states = True


def get_state(machine: StateMachine, entity_id: str) -> State | None:
    """The state of ``entity_id``, recorded as read."""
    entity_id = str(entity_id).lower()
    track_entity(entity_id)
    return machine.get(entity_id)


def _counted(states: list[State]) -> Iterator[State]:
    for state in states:
        tick()
        yield state


class DomainStates:
    """``states.sensor``: attribute access by object id, iteration over the domain."""

    __slots__ = ("_domain", "_machine")

    def __init__(self, machine: StateMachine, domain: str) -> None:
        self._machine = machine
        self._domain = domain

    def __getattr__(self, object_id: str) -> State | None:
        if object_id.startswith("_") or object_id in _PROBED:
            raise AttributeError(object_id)
        return get_state(self._machine, f"{self._domain}.{object_id}")

    def __getitem__(self, object_id: str) -> State | None:
        return self.__getattr__(object_id)

    def __iter__(self) -> Iterator[State]:
        track_domain(self._domain)
        states = sorted(self._machine.all(self._domain), key=lambda s: s.entity_id)
        return _counted(states)

    def __len__(self) -> int:
        track_domain(self._domain)
        return len(self._machine.entity_ids(self._domain))

    def __repr__(self) -> str:
        return f"<template DomainStates {self._domain}>"


class AllStates:
    """``states``: call with an entity id for its state text, or walk by domain."""

    __slots__ = ("_machine",)

    def __init__(self, machine: StateMachine) -> None:
        self._machine = machine

    def __call__(self, entity_id: str) -> str:
        state = get_state(self._machine, entity_id)
        return STATE_UNKNOWN if state is None else state.state

    def __getattr__(self, domain: str) -> DomainStates:
        if domain.startswith("_") or domain in _PROBED:
            raise AttributeError(domain)
        return DomainStates(self._machine, domain)

    def __getitem__(self, domain: str) -> DomainStates:
        return self.__getattr__(domain)

    def __iter__(self) -> Iterator[State]:
        track_all()
        return _counted(sorted(self._machine.all(), key=lambda s: s.entity_id))

    def __len__(self) -> int:
        track_all()
        return len(self._machine)

    def __repr__(self) -> str:
        return "<template AllStates>"


def expand(machine: StateMachine, *args: Any) -> list[State]:
    """States of the given entity ids or states; an entity listing members expands to them."""
    found: dict[str, State] = {}
    pending: list[Any] = list(args)
    seen: set[str] = set()
    while pending:
        tick()
        item = pending.pop()
        if isinstance(item, str):
            state = get_state(machine, item)
        elif isinstance(item, State):
            state = item
            track_entity(item.entity_id)
        elif isinstance(item, DomainStates | AllStates | list | tuple | set):
            pending.extend(item)
            continue
        else:
            continue
        if state is None or state.entity_id in seen:
            continue
        seen.add(state.entity_id)
        members = state.attributes.get("entity_id")
        if isinstance(members, list | tuple):
            pending.extend(str(member) for member in members)
        else:
            found[state.entity_id] = state
    return sorted(found.values(), key=lambda s: s.entity_id)
