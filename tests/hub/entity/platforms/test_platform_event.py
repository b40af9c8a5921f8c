"""Event entities: the state is the time of the last event, its type an attribute."""

from __future__ import annotations

import datetime as dt

import pytest

from hub.api import EventEntity
from hub.core.hub import Hub


class Remote(EventEntity):
    _attr_name = "Remote"
    _attr_event_types = ("press", "hold")


async def test_trigger_event(hub: Hub) -> None:
    remote = Remote()
    await hub.entities.add("test", [remote])
    state = hub.states.get("event.remote")
    assert state.state == "unknown"
    assert state.attributes["event_types"] == ["press", "hold"]
    when = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    remote.trigger_event("hold", {"duration": 2}, when=when)
    remote.write_state()
    state = hub.states.get("event.remote")
    assert state.state == when.isoformat()
    assert state.attributes["event_type"] == "hold"
    assert state.attributes["duration"] == 2
    with pytest.raises(ValueError, match="not an event type"):
        remote.trigger_event("double")
