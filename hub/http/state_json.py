"""Serialised states, cached per State object so large state lists cost one join."""

from __future__ import annotations

from collections.abc import Iterable

from hub.core.jsonutil import dumps_bytes
from hub.core.state import State


class StateJsonCache:
    """JSON of each entity's current state, re-serialised only when the state object changes."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[State, bytes]] = {}

    def encode(self, state: State) -> bytes:
        """The JSON of ``state`` (its ``as_dict`` form)."""
        cached = self._cache.get(state.entity_id)
        if cached is not None and cached[0] is state:
            return cached[1]
        body = dumps_bytes(
            {
                # Same fields as State.as_dict; orjson writes the datetimes (RFC 3339) faster.
                "entity_id": state.entity_id,
                "state": state.state,
                "attributes": dict(state.attributes),
                "last_changed": state.last_changed,
                "last_updated": state.last_updated,
                "last_reported": state.last_reported,
                "context": state.context.as_dict(),
            }
        )
        self._cache[state.entity_id] = (state, body)
        return body

    def encode_list(self, states: Iterable[State]) -> bytes:
        """A JSON array of ``states``."""
        return b"[" + b",".join([self.encode(s) for s in states]) + b"]"

    def prune(self, live: Iterable[str]) -> None:
        """Drop cached entries of entities that no longer exist."""
        keep = set(live)
        for entity_id in [e for e in self._cache if e not in keep]:
            del self._cache[entity_id]
