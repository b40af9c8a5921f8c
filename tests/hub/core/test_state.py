"""StateMachine: change semantics, last_reported, validation, removal."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from hub.core.bus import Event, EventBus
from hub.core.errors import InvalidEntityId
from hub.core.state import State, StateMachine, valid_entity_id
from hub.core.tasks import TaskTracker


@pytest.fixture
def bus() -> EventBus:
    return EventBus(TaskTracker())


@pytest.fixture
def states(bus: EventBus) -> StateMachine:
    return StateMachine(bus)


def collect(bus: EventBus, event_type: str) -> list[Event]:
    seen: list[Event] = []
    bus.listen(event_type, seen.append)
    return seen


def test_first_write_fires_state_changed(bus: EventBus, states: StateMachine) -> None:
    changed = collect(bus, "state_changed")
    state = states.set("sensor.level", "42", {"unit_of_measurement": "%"}, timestamp=100.0)
    assert changed[0].data["old_state"] is None
    assert changed[0].data["new_state"] is state
    assert state.last_changed == state.last_updated == state.last_reported
    assert state.attributes == {"unit_of_measurement": "%"}


def test_unchanged_write_only_moves_last_reported(bus: EventBus, states: StateMachine) -> None:
    changed = collect(bus, "state_changed")
    reported = collect(bus, "state_reported")
    first = states.set("sensor.level", "42", {"a": 1}, timestamp=100.0)
    second = states.set("sensor.level", "42", {"a": 1}, timestamp=105.0)
    assert len(changed) == 1
    assert len(reported) == 1
    assert second.last_updated == first.last_updated
    assert second.last_reported.timestamp() == 105.0


def test_attribute_change_keeps_last_changed(states: StateMachine) -> None:
    first = states.set("sensor.level", "42", {"a": 1}, timestamp=100.0)
    second = states.set("sensor.level", "42", {"a": 2}, timestamp=110.0)
    assert second.last_changed == first.last_changed
    assert second.last_updated.timestamp() == 110.0


def test_value_change_moves_last_changed(states: StateMachine) -> None:
    states.set("sensor.level", "42", timestamp=100.0)
    second = states.set("sensor.level", "43", timestamp=120.0)
    assert second.last_changed.timestamp() == 120.0


def test_force_update_fires_even_when_unchanged(bus: EventBus, states: StateMachine) -> None:
    changed = collect(bus, "state_changed")
    states.set("sensor.level", "42")
    states.set("sensor.level", "42", force_update=True)
    assert len(changed) == 2


def test_state_is_immutable(states: StateMachine) -> None:
    state = states.set("sensor.level", "42", {"a": 1})
    with pytest.raises(AttributeError):
        state.state = "43"  # type: ignore[misc]
    with pytest.raises(TypeError):
        state.attributes["a"] = 2  # type: ignore[index]


def test_caller_mutation_does_not_leak_into_state(states: StateMachine) -> None:
    attrs = {"a": 1}
    state = states.set("sensor.level", "42", attrs)
    attrs["a"] = 2
    assert state.attributes["a"] == 1


def test_read_only_attributes_are_kept_as_given_and_then_compared_by_identity(
    bus: EventBus, states: StateMachine
) -> None:
    changed = collect(bus, "state_changed")
    first = states.set("sensor.level", "1", {"unit_of_measurement": "cm"})
    cached = MappingProxyType({"unit_of_measurement": "cm"})  # a platform's cached attributes
    second = states.set("sensor.level", "2", cached)
    assert second.attributes is cached  # equal to the previous ones: the caller's is adopted
    reported = states.set("sensor.level", "2", cached)
    assert reported.attributes is cached
    assert len(changed) == 2  # the same value and the same mapping: only reported
    again = states.set("sensor.level", "2", MappingProxyType({"unit_of_measurement": "cm"}))
    assert again.attributes == cached and again.last_updated == second.last_updated
    renamed = MappingProxyType({"unit_of_measurement": "m"})
    assert states.set("sensor.level", "2", renamed).attributes is renamed
    assert len(changed) == 3
    copied = states.set("sensor.level", "3", {"unit_of_measurement": "m"})
    assert copied.attributes is renamed  # an equal plain dict keeps what is stored
    assert first.attributes == {"unit_of_measurement": "cm"}


@pytest.mark.parametrize(
    ("entity_id", "valid"),
    [
        ("sensor.tank_1", True),
        ("binary_sensor.door", True),
        ("Sensor.tank", False),
        ("sensor", False),
        ("sensor.", False),
        ("sensor._tank", False),
        ("sensor.tank__1", False),
        ("sensor.tank-1", False),
    ],
)
def test_entity_id_validation(entity_id: str, valid: bool) -> None:
    assert valid_entity_id(entity_id) is valid


def test_invalid_entity_id_refused(states: StateMachine) -> None:
    with pytest.raises(InvalidEntityId, match="lowercase"):
        states.set("Sensor.Bad", "1")


def test_overlong_state_refused(states: StateMachine) -> None:
    with pytest.raises(ValueError, match="limit is 255"):
        states.set("sensor.big", "x" * 256)


def test_remove_fires_with_new_state_none(bus: EventBus, states: StateMachine) -> None:
    changed = collect(bus, "state_changed")
    states.set("sensor.level", "1")
    assert states.remove("sensor.level")
    assert changed[-1].data["new_state"] is None
    assert states.get("sensor.level") is None
    assert not states.remove("sensor.level")


def test_queries(states: StateMachine) -> None:
    states.set("sensor.a", "1")
    states.set("switch.b", "on")
    assert {s.entity_id for s in states.all()} == {"sensor.a", "switch.b"}
    assert [s.entity_id for s in states.all("switch")] == ["switch.b"]
    assert states.entity_ids("sensor") == ["sensor.a"]
    assert states.is_state("switch.b", "on")
    state = states.get("sensor.a")
    assert isinstance(state, State)
    assert state.domain == "sensor" and state.object_id == "a" and state.name == "a"
    assert state.as_dict()["entity_id"] == "sensor.a"


def test_observers_see_every_write_before_its_event(bus: EventBus, states: StateMachine) -> None:
    order: list[str] = []
    seen: list[tuple[str, str, bool]] = []

    def observer(entity_id: str, state: State, changed: bool) -> None:
        order.append("observer")
        seen.append((entity_id, state.state, changed))

    bus.listen("state_changed", lambda event: order.append("changed"))
    bus.listen("state_reported", lambda event: order.append("reported"))
    remove = states.observe(observer)
    first = states.set("sensor.level", "1", timestamp=100.0)
    states.set("sensor.level", "1", timestamp=101.0)  # same value: a report
    states.set("sensor.level", "2", timestamp=102.0)
    assert seen == [
        ("sensor.level", "1", True),
        ("sensor.level", "1", False),
        ("sensor.level", "2", True),
    ]
    assert order == ["observer", "changed", "observer", "reported", "observer", "changed"]
    assert first.last_updated.timestamp() == 100.0
    remove()
    states.set("sensor.level", "3", timestamp=103.0)
    assert len(seen) == 3
