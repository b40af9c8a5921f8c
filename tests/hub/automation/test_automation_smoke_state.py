"""State triggers fire the actions."""

from __future__ import annotations

from conftest import Setup, Tick

from hub.core.hub import Hub
from hub.core.services import ServiceCall


async def test_state_trigger_calls_service(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    tick.set_state("binary_sensor.door", "off")
    await setup(
        """
- id: door
  alias: Door opened
  trigger:
    platform: state
    entity_id: binary_sensor.door
    to: "on"
  action:
    service: test.record
    data:
      who: "{{ trigger.entity_id }}"
"""
    )
    tick.set_state("binary_sensor.door", "on")
    await tick()
    assert [dict(call.data) for call in calls] == [{"who": "binary_sensor.door"}]
    state = hub.states.get("automation.door_opened")
    assert state is not None and state.state == "on"
    assert state.attributes["last_triggered"] is not None
