"""Immutable states and the state machine that holds the current one per entity."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from hub.core.bus import EventBus
from hub.core.context import Context
from hub.core.errors import InvalidEntityId
from hub.core.events import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED

STATE_UNKNOWN = "unknown"
STATE_UNAVAILABLE = "unavailable"
STATE_ON = "on"
STATE_OFF = "off"
MAX_STATE_LENGTH = 255

_ENTITY_ID_RE = re.compile(r"^(?!.+__)(?!_)[a-z0-9_]+(?<!_)\.(?!_)[a-z0-9_]+(?<!_)$")
_EMPTY_ATTRS: Mapping[str, Any] = MappingProxyType({})
_UTC = dt.UTC
_from_timestamp = dt.datetime.fromtimestamp
_new_tuple = tuple.__new__


def _frozen(attributes: Mapping[str, Any]) -> Mapping[str, Any]:
    """``attributes`` as a read-only mapping: a proxy as it is, anything else copied."""
    if type(attributes) is MappingProxyType:
        return attributes
    return MappingProxyType(dict(attributes))


def valid_entity_id(entity_id: str) -> bool:
    """True for ``<platform>.<object_id>`` in lowercase letters, digits and single underscores."""
    return _ENTITY_ID_RE.match(entity_id) is not None


def split_entity_id(entity_id: str) -> tuple[str, str]:
    """Return ``(platform, object_id)``."""
    domain, _, object_id = entity_id.partition(".")
    return domain, object_id


class State(NamedTuple):
    """The state of one entity at one moment. Immutable.

    ``last_changed`` moves only when ``state`` changes; ``last_updated`` when the state or the
    attributes change; ``last_reported`` on every write, even an unchanged one.
    """

    entity_id: str
    state: str
    attributes: Mapping[str, Any]
    last_changed: dt.datetime
    last_updated: dt.datetime
    last_reported: dt.datetime
    context: Context

    @property
    def domain(self) -> str:
        """The entity's platform (``sensor`` for ``sensor.tank_level``)."""
        return self.entity_id.partition(".")[0]

    @property
    def object_id(self) -> str:
        """The part after the dot."""
        return self.entity_id.partition(".")[2]

    @property
    def name(self) -> str:
        """The friendly name, or the object id with spaces."""
        name = self.attributes.get("friendly_name")
        return str(name) if name else self.object_id.replace("_", " ")

    @property
    def last_updated_timestamp(self) -> float:
        """``last_updated`` as epoch seconds."""
        return self.last_updated.timestamp()

    def as_dict(self) -> dict[str, Any]:
        """Serialise like Home Assistant's REST API does."""
        return {
            "entity_id": self.entity_id,
            "state": self.state,
            "attributes": dict(self.attributes),
            "last_changed": self.last_changed.isoformat(),
            "last_updated": self.last_updated.isoformat(),
            "last_reported": self.last_reported.isoformat(),
            "context": self.context.as_dict(),
        }

    def __repr__(self) -> str:
        return f"<State {self.entity_id}={self.state}>"


StateObserver = Callable[[str, State, bool], None]
"""``observer(entity_id, state, changed)``: see :meth:`StateMachine.observe`."""


class StateMachine:
    """Holds the current :class:`State` of every entity and announces changes on the bus."""

    def __init__(self, bus: EventBus, time_source: Callable[[], float] = time.time) -> None:
        self._bus = bus
        self._time = time_source
        self._states: dict[str, State] = {}
        self._valid_ids: set[str] = set()
        self._writes = 0
        self._observers: list[StateObserver] = []

    @property
    def write_count(self) -> int:
        """Number of ``set`` calls since start (for metrics)."""
        return self._writes

    def observe(self, observer: StateObserver) -> Callable[[], None]:
        """Call ``observer(entity_id, state, changed)`` on every write; return the remover.

        Observers run synchronously, before the write's ``state_changed`` (``changed``
        True) or ``state_reported`` event fires, and see every write without an
        :class:`~hub.core.bus.Event` being built for them: the recorder keeps the history
        this way. They must be cheap and must not raise.
        """
        self._observers = [*self._observers, observer]

        def remove() -> None:
            self._observers = [o for o in self._observers if o is not observer]

        return remove

    def get(self, entity_id: str) -> State | None:
        """The current state of ``entity_id``, or None."""
        return self._states.get(entity_id)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._states

    def __len__(self) -> int:
        return len(self._states)

    def all(self, domains: str | Iterable[str] | None = None) -> list[State]:
        """All states, optionally only those of the given platform(s)."""
        if domains is None:
            return list(self._states.values())
        wanted = {domains} if isinstance(domains, str) else set(domains)
        return [s for s in self._states.values() if s.entity_id.partition(".")[0] in wanted]

    def entity_ids(self, domain: str | None = None) -> list[str]:
        """Entity ids, optionally of one platform."""
        if domain is None:
            return list(self._states)
        prefix = domain + "."
        return [e for e in self._states if e.startswith(prefix)]

    def is_state(self, entity_id: str, state: str) -> bool:
        """True if ``entity_id`` is currently ``state``."""
        current = self._states.get(entity_id)
        return current is not None and current.state == state

    def set(
        self,
        entity_id: str,
        new_state: str,
        attributes: Mapping[str, Any] | None = None,
        *,
        force_update: bool = False,
        context: Context | None = None,
        timestamp: float | None = None,
    ) -> State:
        """Set the state of ``entity_id`` and fire ``state_changed`` if anything changed.

        An unchanged value and attributes only move ``last_reported`` and fire
        ``state_reported``; ``force_update`` turns such a write into a change.
        ``attributes`` given as a :class:`~types.MappingProxyType` are kept as they are
        (the caller must not change the mapping behind the proxy, as with a state's own
        attributes); any other mapping is copied.
        """
        if entity_id not in self._valid_ids:
            self._validate(entity_id)
        if len(new_state) > MAX_STATE_LENGTH:
            raise ValueError(
                f"state of {entity_id} is {len(new_state)} characters; "
                f"the limit is {MAX_STATE_LENGTH}"
            )
        self._writes += 1
        now = _from_timestamp(self._time() if timestamp is None else timestamp, _UTC)
        old = self._states.get(entity_id)
        if attributes is None:
            attributes = _EMPTY_ATTRS
        if context is None:
            context = Context()
        if old is not None:
            old_attrs = old.attributes
            same_attrs = old_attrs is attributes
            if not same_attrs:
                same_attrs = old_attrs == attributes
                if same_attrs and type(attributes) is MappingProxyType:
                    old_attrs = attributes  # the caller's own: the next write is identical
            if same_attrs and old.state == new_state and not force_update:
                reported = old._replace(attributes=old_attrs, last_reported=now)
                self._states[entity_id] = reported
                for observer in self._observers:
                    observer(entity_id, reported, False)
                self._bus.fire(
                    EVENT_STATE_REPORTED,
                    {
                        "entity_id": entity_id,
                        "old_last_reported": old.last_reported,
                        "new_state": reported,
                    },
                    context,
                )
                return reported
            attrs = old_attrs if same_attrs else _frozen(attributes)
            last_changed = old.last_changed if old.state == new_state else now
        else:
            attrs = _frozen(attributes) if attributes else _EMPTY_ATTRS
            last_changed = now
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (the hottest line here).
        state: State = _new_tuple(
            State, (entity_id, new_state, attrs, last_changed, now, now, context)
        )
        self._states[entity_id] = state
        for observer in self._observers:
            observer(entity_id, state, True)
        self._bus.fire(
            EVENT_STATE_CHANGED,
            {"entity_id": entity_id, "old_state": old, "new_state": state},
            context,
        )
        return state

    def remove(self, entity_id: str, context: Context | None = None) -> bool:
        """Forget ``entity_id``; fire ``state_changed`` with ``new_state`` None."""
        old = self._states.pop(entity_id, None)
        if old is None:
            return False
        self._bus.fire(
            EVENT_STATE_CHANGED,
            {"entity_id": entity_id, "old_state": old, "new_state": None},
            context,
        )
        return True

    def _validate(self, entity_id: str) -> None:
        if not valid_entity_id(entity_id):
            raise InvalidEntityId(
                f"invalid entity id {entity_id!r}: use <platform>.<object_id> in lowercase "
                "letters, digits and single underscores"
            )
        self._valid_ids.add(entity_id)
