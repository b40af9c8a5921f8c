"""JSON helpers: states serialise as objects, not as arrays."""

from __future__ import annotations

from hub.core.bus import Event, EventBus
from hub.core.context import Context
from hub.core.jsonutil import to_jsonable
from hub.core.state import StateMachine
from hub.core.tasks import TaskTracker


def test_state_changed_event_serialises_states_as_objects() -> None:
    bus = EventBus(TaskTracker())
    states = StateMachine(bus)
    seen: list[Event] = []
    bus.listen("state_changed", seen.append)
    states.set("sensor.level", "40", {"unit_of_measurement": "%"}, context=Context(id="c1"))
    data = seen[0].as_dict()["data"]
    assert data["old_state"] is None
    assert data["new_state"]["state"] == "40"
    assert data["new_state"]["attributes"] == {"unit_of_measurement": "%"}
    assert data["new_state"]["context"]["id"] == "c1"


def test_plain_structures_pass_through() -> None:
    assert to_jsonable({"a": (1, 2), "b": {"c": None}}) == {"a": [1, 2], "b": {"c": None}}
