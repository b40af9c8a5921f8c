"""One ``state_changed`` listener for every automation, indexed by entity id and domain.

Thousands of triggers watching thousands of entities cost one bus listener whose event
filter is a dictionary lookup; only the callbacks of the changed entity run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from hub.core.bus import Event
from hub.core.events import EVENT_STATE_CHANGED
from hub.core.keys import HubKey

if TYPE_CHECKING:
    from hub.core.hub import Hub

StateCallback = Callable[[Event], None]
Unsubscribe = Callable[[], None]


class StateIndex:
    """Dispatches ``state_changed`` to callbacks registered per entity id, domain or all."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._by_entity: dict[str, list[StateCallback]] = {}
        self._by_domain: dict[str, list[StateCallback]] = {}
        self._everything: list[StateCallback] = []
        self._unsub: Unsubscribe | None = None

    def track_entities(self, entity_ids: Iterable[str], callback: StateCallback) -> Unsubscribe:
        """Call ``callback(event)`` when any of ``entity_ids`` changes."""
        return self._add(self._by_entity, list(entity_ids), callback)

    def track_domains(self, domains: Iterable[str], callback: StateCallback) -> Unsubscribe:
        """Call ``callback(event)`` when any entity of ``domains`` changes."""
        return self._add(self._by_domain, list(domains), callback)

    def track_all(self, callback: StateCallback) -> Unsubscribe:
        """Call ``callback(event)`` on every state change."""
        self._everything = [*self._everything, callback]
        self._ensure_listening()

        def remove() -> None:
            self._everything = [cb for cb in self._everything if cb is not callback]
            self._maybe_stop()

        return remove

    def _add(
        self, index: dict[str, list[StateCallback]], keys: list[str], callback: StateCallback
    ) -> Unsubscribe:
        for key in keys:
            index[key] = [*index.get(key, ()), callback]
        self._ensure_listening()

        def remove() -> None:
            for key in keys:
                remaining = [cb for cb in index.get(key, ()) if cb is not callback]
                if remaining:
                    index[key] = remaining
                else:
                    index.pop(key, None)
            self._maybe_stop()

        return remove

    def _ensure_listening(self) -> None:
        if self._unsub is None:
            self._unsub = self._hub.bus.listen(
                EVENT_STATE_CHANGED, self._dispatch, event_filter=self._wanted
            )

    def _maybe_stop(self) -> None:
        if self._unsub is not None and not (self._by_entity or self._by_domain or self._everything):
            self._unsub()
            self._unsub = None

    def _wanted(self, data: Mapping[str, Any]) -> bool:
        entity_id: str = data["entity_id"]
        if entity_id in self._by_entity or self._everything:
            return True
        return bool(self._by_domain) and entity_id.partition(".")[0] in self._by_domain

    def _dispatch(self, event: Event) -> None:
        entity_id: str = event.data["entity_id"]
        callbacks = self._by_entity.get(entity_id, ())
        if self._by_domain:
            callbacks = [*callbacks, *self._by_domain.get(entity_id.partition(".")[0], ())]
        if self._everything:
            callbacks = [*callbacks, *self._everything]
        for callback in callbacks:
            callback(event)


_INDEX: HubKey[StateIndex] = HubKey("automation.state_index")


def state_index(hub: Hub) -> StateIndex:
    """The hub's shared :class:`StateIndex`."""
    index = hub.data.get(_INDEX)
    if index is None:
        index = StateIndex(hub)
        hub.data[_INDEX] = index
    return index
