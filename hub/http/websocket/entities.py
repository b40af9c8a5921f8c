"""``subscribe_entities``: a snapshot, then changes coalesced per entity in short windows.

One bus listener serves every subscriber. Changes collected during a window (at most
``window`` seconds, 25 ms by default) are reduced to one diff per entity, serialised once
and sent to each subscriber; a subscriber with an ``entity_ids`` filter gets its share.
The message format follows Home Assistant's compressed states: ``a`` added (full state),
``c`` changed (``+`` new values, ``-`` removed attribute keys), ``r`` removed ids.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

from hub.core.bus import Event, EventBus, Unsubscribe
from hub.core.events import EVENT_STATE_CHANGED
from hub.core.jsonutil import dumps_bytes
from hub.core.state import State
from hub.http.websocket.messages import event_message

_LOGGER = logging.getLogger(__name__)

DEFAULT_WINDOW: Final = 0.025


def compressed_state(state: State) -> dict[str, Any]:
    """A state in compressed form: ``s`` state, ``a`` attributes, ``c`` context id,
    ``lc``/``lu`` last changed/updated (epoch seconds)."""
    return {
        "s": state.state,
        "a": dict(state.attributes),
        "c": state.context.id,
        "lc": state.last_changed.timestamp(),
        "lu": state.last_updated.timestamp(),
    }


def state_diff(old: State, new: State) -> dict[str, Any]:
    """What changed from ``old`` to ``new`` in compressed form."""
    plus: dict[str, Any] = {"lu": new.last_updated.timestamp()}
    if old.state != new.state:
        plus["s"] = new.state
    if old.last_changed != new.last_changed:
        plus["lc"] = new.last_changed.timestamp()
    if old.context is not new.context:
        plus["c"] = new.context.id
    diff: dict[str, Any] = {"+": plus}
    if old.attributes is not new.attributes:
        old_attrs, new_attrs = old.attributes, new.attributes
        changed = {k: v for k, v in new_attrs.items() if k not in old_attrs or old_attrs[k] != v}
        if changed:
            plus["a"] = changed
        removed = [k for k in old_attrs if k not in new_attrs]
        if removed:
            diff["-"] = {"a": removed}
    return diff


@dataclass(slots=True)
class _Subscriber:
    msg_id: int
    send: Callable[[bytes], None]
    entity_ids: frozenset[str] | None


class EntityStream:
    """Coalesces state changes for every ``subscribe_entities`` subscriber."""

    def __init__(self, bus: EventBus, window: float = DEFAULT_WINDOW) -> None:
        self._bus = bus
        self._window = window
        self._subscribers: dict[int, _Subscriber] = {}
        self._next_key = 0
        self._pending: dict[str, tuple[State | None, State | None]] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._unlisten: Unsubscribe | None = None

    @property
    def subscriber_count(self) -> int:
        """Number of live subscriptions."""
        return len(self._subscribers)

    def subscribe(
        self,
        msg_id: int,
        send: Callable[[bytes], None],
        entity_ids: Iterable[str] | None,
        states: Iterable[State],
    ) -> Unsubscribe:
        """Send the snapshot of ``states`` now, then coalesced changes; return unsubscribe."""
        wanted = None if entity_ids is None else frozenset(entity_ids)
        snapshot = {
            s.entity_id: compressed_state(s)
            for s in states
            if wanted is None or s.entity_id in wanted
        }
        send(event_message(msg_id, _encode({"a": snapshot})))
        key = self._next_key
        self._next_key += 1
        self._subscribers[key] = _Subscriber(msg_id, send, wanted)
        if self._unlisten is None:
            self._unlisten = self._bus.listen(EVENT_STATE_CHANGED, self._on_change)

        def unsubscribe() -> None:
            self._subscribers.pop(key, None)
            if not self._subscribers:
                self._stop()

        return unsubscribe

    def _stop(self) -> None:
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._pending.clear()

    def _on_change(self, event: Event) -> None:
        data = event.data
        entity_id: str = data["entity_id"]
        earlier = self._pending.get(entity_id)
        old = data["old_state"] if earlier is None else earlier[0]
        self._pending[entity_id] = (old, data["new_state"])
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._window, self.flush)

    def flush(self) -> None:
        """Send the changes collected so far (called by the window timer)."""
        self._timer = None
        pending, self._pending = self._pending, {}
        added: dict[str, Any] = {}
        changed: dict[str, Any] = {}
        removed: list[str] = []
        for entity_id, (old, new) in pending.items():
            if new is None:
                if old is not None:
                    removed.append(entity_id)
            elif old is None:
                added[entity_id] = compressed_state(new)
            else:
                changed[entity_id] = state_diff(old, new)
        if not (added or changed or removed):
            return
        shared: bytes | None = None
        for sub in list(self._subscribers.values()):
            if sub.entity_ids is None:
                if shared is None:
                    shared = _encode(_payload(added, changed, removed))
                body = shared
            else:
                keep = sub.entity_ids
                part = _payload(
                    {k: v for k, v in added.items() if k in keep},
                    {k: v for k, v in changed.items() if k in keep},
                    [e for e in removed if e in keep],
                )
                if not part:
                    continue
                body = _encode(part)
            sub.send(event_message(sub.msg_id, body))


def _payload(added: dict[str, Any], changed: dict[str, Any], removed: list[str]) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    if added:
        payload["a"] = added
    if changed:
        payload["c"] = changed
    if removed:
        payload["r"] = removed
    return payload


def _encode(payload: dict[str, Any]) -> bytes:
    try:
        return dumps_bytes(payload)
    except TypeError:
        return dumps_bytes(_serialisable(payload))


def _serialisable(payload: dict[str, Any]) -> dict[str, Any]:
    """Drop the entities whose attributes cannot be serialised (logged once per flush)."""
    clean: dict[str, Any] = {}
    for section, entries in payload.items():
        if not isinstance(entries, dict):
            clean[section] = entries
            continue
        kept = {}
        for entity_id, value in entries.items():
            try:
                dumps_bytes(value)
            except TypeError as err:
                _LOGGER.warning("State of %s is not serialisable: %s", entity_id, err)
                continue
            kept[entity_id] = value
        clean[section] = kept
    return clean
