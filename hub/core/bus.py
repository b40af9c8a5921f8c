"""The event bus: synchronous, cheap ``fire``; plain-callback and coroutine listeners.

Plain callbacks run inline inside :meth:`EventBus.fire` and must not block. Each coroutine
listener gets its own ordered mailbox drained by one tracked task, so a burst of events costs
one task, not one task per event, and the listener sees events in the order they were fired.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import deque
from collections.abc import Callable, Collection, Coroutine, Mapping
from functools import partial
from types import MappingProxyType
from typing import Any

from hub.core.context import Context
from hub.core.events import MATCH_ALL
from hub.core.tasks import TaskTracker

_LOGGER = logging.getLogger(__name__)

EventData = Mapping[str, Any]
EventFilter = Callable[[EventData], bool]
SyncListener = Callable[["Event"], None]
_Entry = tuple[SyncListener, EventFilter | None]
MAX_CACHED_TYPES = 1_000
"""Event types whose listener lists are kept ready (fired types beyond it are rebuilt)."""
AsyncListener = Callable[["Event"], Coroutine[Any, Any, None]]
Listener = SyncListener | AsyncListener
Unsubscribe = Callable[[], None]

_EMPTY: EventData = MappingProxyType({})


class Event:
    """One event: its type, data, context and the time it was fired (epoch seconds)."""

    __slots__ = ("context", "data", "event_type", "time_fired_timestamp")

    def __init__(
        self,
        event_type: str,
        data: EventData,
        context: Context | None,
        time_fired_timestamp: float,
    ) -> None:
        self.event_type = event_type
        self.data = data
        self.context = context if context is not None else Context()
        self.time_fired_timestamp = time_fired_timestamp

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        from hub.core.jsonutil import to_jsonable  # local: keeps bus import light

        return {
            "event_type": self.event_type,
            "data": to_jsonable(self.data),
            "time_fired": self.time_fired_timestamp,
            "context": self.context.as_dict(),
        }

    def __repr__(self) -> str:
        return f"<Event {self.event_type} {dict(self.data)!r}>"


class _Mailbox:
    """Ordered delivery of events to one coroutine listener."""

    __slots__ = ("_drainer", "_listener", "_name", "_pending", "_tasks")

    def __init__(self, listener: AsyncListener, tasks: TaskTracker, name: str) -> None:
        self._listener = listener
        self._tasks = tasks
        self._name = name
        self._pending: deque[Event] = deque()
        self._drainer: asyncio.Task[None] | None = None

    def __call__(self, event: Event) -> None:
        self._pending.append(event)
        if self._drainer is None:
            self._drainer = self._tasks.create(self._drain(), name=self._name)

    async def _drain(self) -> None:
        pending = self._pending
        try:
            while pending:
                event = pending.popleft()
                try:
                    await self._listener(event)
                except Exception:
                    _LOGGER.exception("Error in listener %s for %s", self._name, event.event_type)
        finally:
            self._drainer = None


def is_coroutine_callable(target: Callable[..., Any]) -> bool:
    """Return True if calling ``target`` returns a coroutine (sees through partials)."""
    while isinstance(target, partial):
        target = target.func
    return inspect.iscoroutinefunction(target) or inspect.iscoroutinefunction(
        getattr(target, "__call__", None)  # noqa: B004 - callable objects with async __call__
    )


class EventBus:
    """Delivers events to listeners registered by event type (or ``*`` for all)."""

    def __init__(self, tasks: TaskTracker) -> None:
        self._tasks = tasks
        self._listeners: dict[str, list[_Entry]] = {}
        self._excluded: dict[int, frozenset[str]] = {}  # id(entry) → types it skips
        # Per event type, its listeners then the MATCH_ALL ones that do not skip it; built
        # on first use, dropped whenever a listener comes or goes.
        self._targets: dict[str, list[_Entry]] = {}
        self._fired = 0

    @property
    def fired_count(self) -> int:
        """How many events were fired that at least one listener received."""
        return self._fired

    def listener_counts(self) -> dict[str, int]:
        """Number of listeners per event type."""
        return {key: len(value) for key, value in self._listeners.items()}

    def has_listeners(self, event_type: str) -> bool:
        """True if firing ``event_type`` would reach anybody."""
        targets = self._targets.get(event_type)
        return bool(targets if targets is not None else self._targets_of(event_type))

    def listen(
        self,
        event_type: str,
        listener: Listener,
        *,
        event_filter: EventFilter | None = None,
        skip: Collection[str] = (),
    ) -> Unsubscribe:
        """Call ``listener`` for each event of ``event_type``; return the unsubscribe callable.

        ``event_filter`` receives the event data and runs before anything is built or
        scheduled; return False to skip the event. ``skip`` names event types a
        ``MATCH_ALL`` listener does not want (they cost it nothing, not even a call).
        """
        target: SyncListener
        if is_coroutine_callable(listener):
            name = f"listener:{event_type}:{getattr(listener, '__qualname__', listener)!s}"
            target = _Mailbox(listener, self._tasks, name)  # type: ignore[arg-type]
        else:
            target = listener  # type: ignore[assignment]
        entry = (target, event_filter)
        # Copy on write: fire() iterates a list that is never mutated in place.
        self._listeners[event_type] = [*self._listeners.get(event_type, ()), entry]
        if skip:
            self._excluded[id(entry)] = frozenset(skip)
        self._targets.clear()

        def unsubscribe() -> None:
            current = self._listeners.get(event_type)
            if current is None or not any(item is entry for item in current):
                return
            remaining = [item for item in current if item is not entry]
            if remaining:
                self._listeners[event_type] = remaining
            else:
                del self._listeners[event_type]
            self._excluded.pop(id(entry), None)
            self._targets.clear()

        return unsubscribe

    def listen_once(self, event_type: str, listener: Listener) -> Unsubscribe:
        """Call ``listener`` for the next event of ``event_type`` only."""
        fired = False
        unsub: Unsubscribe | None = None

        def once(event: Event) -> None:
            nonlocal fired
            if fired:
                return
            fired = True
            if unsub is not None:
                unsub()
            result = listener(event)
            if inspect.iscoroutine(result):
                self._tasks.create(result, name=f"listen_once:{event_type}")

        unsub = self.listen(event_type, once)
        return unsub

    def _targets_of(self, event_type: str) -> list[_Entry]:
        """The listeners of ``event_type``, then the MATCH_ALL ones that want it (cached)."""
        targets = [*self._listeners.get(event_type, ())]
        if event_type != MATCH_ALL:
            excluded = self._excluded
            targets.extend(
                entry
                for entry in self._listeners.get(MATCH_ALL, ())
                if event_type not in excluded.get(id(entry), ())
            )
        if len(self._targets) >= MAX_CACHED_TYPES:
            self._targets.clear()
        self._targets[event_type] = targets
        return targets

    def fire(
        self,
        event_type: str,
        data: EventData | None = None,
        context: Context | None = None,
        time_fired: float | None = None,
    ) -> None:
        """Deliver an event now. The Event object is only built when someone listens."""
        listeners = self._targets.get(event_type)
        if listeners is None:
            listeners = self._targets_of(event_type)
        if not listeners:
            return
        if data is None:
            data = _EMPTY
        event: Event | None = None
        for target, event_filter in listeners:
            if event_filter is not None:
                try:
                    if not event_filter(data):
                        continue
                except Exception:
                    _LOGGER.exception("Error in event filter for %s", event_type)
                    continue
            if event is None:
                event = Event(
                    event_type, data, context, time.time() if time_fired is None else time_fired
                )
                self._fired += 1
            try:
                target(event)
            except Exception:
                _LOGGER.exception("Error in listener %r for %s", target, event_type)
