"""Every action type, run for real: waits on the manual clock, branches, loops, errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import voluptuous as vol
from conftest import Setup, Tick

from hub.automation.engine import AutomationEngine
from hub.automation.trace import Trace
from hub.core.bus import Event
from hub.core.hub import Hub
from hub.core.services import ServiceCall
from hub.plugins.markers import hookimpl
from hub.testing.plugin import RegisterPlugin


def automation_with(actions: str, extra: str = "") -> str:
    return f"- id: a\n  trigger: {{platform: event, event_type: go}}\n{extra}  action:\n{actions}"


async def run(hub: Hub, engine: AutomationEngine, tick: Tick, **data: Any) -> Trace:
    hub.bus.fire("go", data)
    await tick()
    trace = next(iter(engine)).traces.latest()
    assert trace is not None
    return trace


def recorded(calls: list[ServiceCall], key: str = "n") -> list[Any]:
    return [call.data.get(key) for call in calls]


async def test_service_call_forms(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    hub.states.set("sensor.level", "42")
    engine = await setup(
        automation_with(
            "    - service: test.record\n      entity_id: switch.a\n"
            "      data_template:\n        n: \"{{ states('sensor.level') | int }}\"\n"
            "    - action: test.record\n      target:\n        entity_id: [switch.b]\n"
            '      data:\n        n: "{{ trigger.event.data.x }}"\n'
            "    - action: \"test.{{ 'other' }}\"\n      data: {n: static}\n"
        )
    )
    trace = await run(hub, engine, tick, x="from event")
    assert trace.script_execution == "finished"
    assert [dict(call.data) for call in calls] == [
        {"n": 42, "entity_id": ["switch.a"]},
        {"n": "from event", "entity_id": ["switch.b"]},
        {"n": "static"},
    ]
    assert calls[2].service == "other"
    assert trace.find("action/0")[0].result["params"]["service"] == "record"


async def test_unknown_service_fails_the_run_with_a_trace(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    engine = await setup(
        automation_with(
            "    - service: nothing.here\n      continue_on_error: true\n"
            "    - service: test.record\n      data: {n: 1}\n"
            "    - service: nothing.here\n"
            "    - service: test.record\n      data: {n: 2}\n"
        )
    )
    assert any("nothing.here" in line for line in engine.warn_unknown_services())
    trace = await run(hub, engine, tick)
    assert recorded(calls) == [1]
    assert trace.script_execution == "error"
    assert "not found" in (trace.find("action/0")[0].error or "")
    assert "no loaded integration" in (trace.find("action/2")[0].error or "")
    assert trace.find("action/3") == []


async def test_delay_and_wait_template(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    hub.states.set("switch.a", "off")
    engine = await setup(
        automation_with(
            "    - delay: '00:00:10'\n"
            "    - service: test.record\n      data: {n: after_delay}\n"
            "    - wait_template: \"{{ is_state('switch.a', 'on') }}\"\n      timeout: 30\n"
            "    - service: test.record\n"
            '      data: {n: "{{ wait.completed }} {{ wait.remaining | int }}"}\n'
            "    - wait_template: \"{{ is_state('switch.a', 'off') }}\"\n      timeout: 5\n"
            '    - service: test.record\n      data: {n: "{{ wait.completed }}"}\n'
            '    - wait_template: "{{ false }}"\n      timeout: {seconds: 5}\n'
            "      continue_on_timeout: false\n"
            "    - service: test.record\n      data: {n: never}\n"
        )
    )
    hub.bus.fire("go")
    await tick(9)
    assert calls == []
    await tick(1)
    assert recorded(calls) == ["after_delay"]
    await tick(10)
    hub.states.set("switch.a", "on")
    await tick()
    assert recorded(calls)[1] == "True 20"
    await tick(5)
    assert recorded(calls)[2] is False
    await tick(5)
    trace = next(iter(engine)).traces.latest()
    assert trace is not None and trace.script_execution == "aborted"
    assert recorded(calls)[-1] is False


async def test_wait_for_trigger(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    hub.states.set("binary_sensor.door", "off")
    engine = await setup(
        automation_with(
            "    - wait_for_trigger:\n        - platform: state\n"
            "          entity_id: binary_sensor.door\n"
            "          to: 'on'\n          id: door\n      timeout: 60\n"
            "    - service: test.record\n"
            "      data: {n: \"{{ wait.trigger.id if wait.trigger else 'timeout' }}\"}\n"
        )
    )
    hub.bus.fire("go")
    await tick(10)
    hub.states.set("binary_sensor.door", "on")
    await tick()
    hub.bus.fire("go")
    await tick(61)
    assert recorded(calls) == ["door", "timeout"]
    assert len(engine) == 1


async def test_choose_if_and_traces(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    engine = await setup(
        automation_with(
            "    - choose:\n"
            '        - conditions: "{{ trigger.event.data.n == 1 }}"\n'
            "          sequence: {service: test.record, data: {n: one}}\n"
            '        - conditions:\n            - "{{ trigger.event.data.n == 2 }}"\n'
            "          sequence: [{service: test.record, data: {n: two}}]\n"
            "      default: {service: test.record, data: {n: other}}\n"
            '    - if: "{{ trigger.event.data.n > 1 }}"\n'
            "      then: {service: test.record, data: {n: big}}\n"
            "      else: {service: test.record, data: {n: small}}\n",
            extra="  mode: queued\n",
        )
    )
    for n in (1, 2, 3):
        trace = await run(hub, engine, tick, n=n)
    assert recorded(calls) == ["one", "small", "two", "big", "other", "big"]
    assert trace.find("action/0")[0].result["choice"] == "default"
    assert trace.find("action/0/default/0")
    assert trace.find("action/0/choose/1/conditions/0")[0].result == {"result": False}
    assert trace.find("action/1/if/condition/0")[0].result == {"result": True}
    assert trace.find("action/1/then/0")


async def test_repeat_forms(hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]) -> None:
    hub.states.set("counter.c", "0")
    engine = await setup(
        automation_with(
            '    - repeat:\n        count: "{{ 1 + 1 }}"\n'
            "        sequence: {service: test.record,\n"
            '          data: {n: "c{{ repeat.index }}{{ repeat.last }}"}}\n'
            "    - repeat:\n        for_each: [a, b]\n"
            '        sequence: {service: test.record, data: {n: "{{ repeat.item }}"}}\n'
            '    - repeat:\n        while: "{{ repeat.index <= 2 }}"\n'
            '        sequence: {service: test.record, data: {n: "w{{ repeat.index }}"}}\n'
            '    - repeat:\n        until: "{{ repeat.index >= 2 }}"\n'
            '        sequence: {service: test.record, data: {n: "u{{ repeat.index }}"}}\n'
            "    - repeat:\n        for_each: \"{{ [1, 2] | map('string') | list }}\"\n"
            '        sequence: {service: test.record, data: {n: "t{{ repeat.item }}"}}\n'
        )
    )
    trace = await run(hub, engine, tick)
    assert recorded(calls) == [
        "c1False",
        "c2True",
        "a",
        "b",
        "w1",
        "w2",
        "u1",
        "u2",
        "t1",
        "t2",
    ]
    assert len(trace.find("action/0/repeat/sequence/0")) == 2
    assert trace.find("action/2")[0].result["iterations"] == 2


async def test_variables_stop_event_and_parallel(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    events: list[Event] = []
    hub.bus.listen("announce", events.append)
    engine = await setup(
        automation_with(
            '    - variables:\n        base: 2\n        double: "{{ base * 2 }}"\n'
            '    - event: announce\n      event_data: {value: "{{ double + bonus }}"}\n'
            "    - parallel:\n"
            "        - {service: test.record, data: {n: p1}}\n"
            "        - - delay: 1\n          - {service: test.record, data: {n: p2}}\n"
            "    - stop: enough\n"
            "    - service: test.record\n      data: {n: never}\n",
            extra="  variables:\n    bonus: 10\n",
        )
    )
    hub.bus.fire("go")
    await tick(1)
    trace = next(iter(engine)).traces.latest()
    assert trace is not None
    assert [event.data["value"] for event in events] == [14]
    assert recorded(calls) == ["p1", "p2"]
    assert trace.script_execution == "finished" and trace.error == "enough"
    assert trace.find("action/2/parallel/1/sequence/1")
    assert trace.find("action/0")[0].result["variables"] == {"base": 2, "double": 4}


async def test_condition_step_and_stop_with_error(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    engine = await setup(
        automation_with(
            '    - condition: "{{ trigger.event.data.go }}"\n'
            "    - service: test.record\n      data: {n: passed}\n"
            "    - stop: broken\n      error: true\n",
            extra="  mode: parallel\n",
        )
    )
    assert (await run(hub, engine, tick, go=False)).script_execution == "failed_conditions"
    assert (await run(hub, engine, tick, go=True)).script_execution == "aborted"
    assert recorded(calls) == ["passed"]


async def test_template_error_in_data_is_traced(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    engine = await setup(
        automation_with("    - service: test.record\n      data: {n: \"{{ 'x' | float }}\"}\n")
    )
    trace = await run(hub, engine, tick)
    assert trace.script_execution == "error" and calls == []
    assert "no default" in (trace.find("action/0")[0].error or "")


class NoteActions:
    """A plugin adding an action ``note:`` (like ``alert.raise`` would)."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    @hookimpl
    def fieldhub_register_actions(self, register: Callable[..., None]) -> None:
        async def run(hub: Hub, config: Mapping[str, Any], variables: Mapping[str, Any]) -> None:
            self.notes.append(config["note"])

        register("note", vol.Schema({vol.Required("note"): str}), run)


async def test_plugin_action(
    hub: Hub, register_plugin: RegisterPlugin, setup: Setup, tick: Tick
) -> None:
    plugin = NoteActions()
    register_plugin(plugin, {"domain": "notes", "name": "Notes", "version": "1"})
    engine = await setup(automation_with('    - note: "fired by {{ trigger.event.event_type }}"\n'))
    trace = await run(hub, engine, tick)
    assert plugin.notes == ["fired by go"] and trace.script_execution == "finished"
