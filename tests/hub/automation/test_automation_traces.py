"""Traces: HA step paths, condition results, action outcomes and timing, JSON-ready."""

from __future__ import annotations

import json

from conftest import Setup, Tick

from hub.core.hub import Hub
from hub.core.services import ServiceCall


async def test_trace_records_every_step(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    tick.set_state("sensor.t", "10")
    engine = await setup(
        """
- id: traced
  trigger:
    - platform: event
      event_type: other
    - platform: numeric_state
      entity_id: sensor.t
      above: 20
  condition:
    - "{{ true }}"
    - or:
        - "{{ false }}"
        - condition: trigger
          id: "1"
  action:
    - delay: 5
    - service: test.record
      data: {value: "{{ trigger.to_state.state }}"}
"""
    )
    tick.set_state("sensor.t", "25")
    await tick(5)
    trace = engine.get("traced").traces.latest()  # type: ignore[union-attr]
    assert trace is not None
    paths = [step.path for step in trace.steps]
    assert paths == [
        "trigger/1",
        "condition/0",
        "condition/1",
        "condition/1/conditions/0",
        "condition/1/conditions/1",
        "action/0",
        "action/1",
    ]
    assert trace.find("condition/1/conditions/0")[0].result == {"result": False}
    assert trace.find("condition/1")[0].result == {"result": True}
    delay = trace.find("action/0")[0]
    assert delay.duration == 5.0 and delay.result["delay"] == 5.0
    data = json.loads(json.dumps(trace.as_dict()))
    assert data["script_execution"] == "finished"
    assert data["trigger_variables"]["to_state"]["state"] == "25"
    assert data["trigger_variables"]["id"] == "1"
    assert data["trigger"] == "numeric state of sensor.t"
    assert data["finished"] - data["started"] == 5.0


async def test_failed_conditions_leave_a_trace(hub: Hub, setup: Setup, tick: Tick) -> None:
    engine = await setup(
        "- id: never\n  trigger: {platform: event, event_type: go}\n"
        '  condition: "{{ false }}"\n  action: {service: test.record}\n'
    )
    hub.bus.fire("go")
    await tick()
    (trace,) = list(engine.get("never").traces)  # type: ignore[union-attr]
    assert trace.script_execution == "failed_conditions"
    assert [step.path for step in trace.steps] == ["trigger/0", "condition/0"]
    state = hub.states.get("automation.never")
    assert state is not None and state.attributes["last_triggered"] is None
