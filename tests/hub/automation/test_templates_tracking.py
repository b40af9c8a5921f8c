"""Templates record what they read, and trackers re-render only on relevant changes."""

from __future__ import annotations

from typing import Any

from conftest import Tick

from hub.automation.template_tracker import TemplateTracker, result_as_boolean
from hub.automation.templates import Template
from hub.core.bus import Event
from hub.core.hub import Hub


def test_render_info_records_entities_domains_and_time(hub: Hub) -> None:
    hub.states.set("sensor.a", "1")
    _, info = Template("{{ states('sensor.a') }} {{ states.sensor.b }}", hub).render_with_info()
    assert info.entities == {"sensor.a", "sensor.b"} and not info.domains
    _, info = Template("{{ states.light | list | count }}", hub).render_with_info()
    assert info.domains == {"light"} and not info.all_states
    _, info = Template("{{ states | count }}", hub).render_with_info()
    assert info.all_states
    _, info = Template("{{ now().hour }}", hub).render_with_info()
    assert info.uses_time and info.matches("sensor.x") is False


async def test_tracker_rerenders_only_when_a_read_entity_changes(hub: Hub, tick: Tick) -> None:
    hub.states.set("sensor.a", "1")
    hub.states.set("sensor.b", "1")
    results: list[Any] = []

    def on_result(result: Any, _event: Event | None) -> None:
        results.append(result)

    template = Template("{{ states('sensor.a') | int > 5 }}", hub)
    tracker = TemplateTracker(hub, template, {}, on_result)
    assert tracker.start() is False
    hub.states.set("sensor.b", "9")
    assert results == []
    hub.states.set("sensor.a", "9")
    assert results == [True]
    tracker.stop()
    hub.states.set("sensor.a", "1")
    assert results == [True]


async def test_tracker_follows_new_entities_and_minutes(hub: Hub, tick: Tick) -> None:
    hub.states.set("input_select.source", "sensor.a")
    hub.states.set("sensor.a", "1")
    hub.states.set("sensor.b", "2")
    seen: list[Any] = []
    template = Template("{{ states(states('input_select.source')) }}", hub)
    tracker = TemplateTracker(hub, template, {}, lambda result, _e: seen.append(result))
    tracker.start()
    hub.states.set("input_select.source", "sensor.b")
    hub.states.set("sensor.b", "3")
    assert seen == [2, 3]
    tracker.stop()
    minutes: list[Any] = []
    clock_template = Template("{{ now().minute }}", hub)
    timed = TemplateTracker(hub, clock_template, {}, lambda result, _e: minutes.append(result))
    timed.start()
    await tick(125)
    timed.stop()
    assert minutes == [1, 2]


def test_result_as_boolean() -> None:
    assert result_as_boolean(True) and result_as_boolean("on") and result_as_boolean(2)
    assert not result_as_boolean("off") and not result_as_boolean(0) and not result_as_boolean(None)
    assert result_as_boolean("1.5") and not result_as_boolean("0")
