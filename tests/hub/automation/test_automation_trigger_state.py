"""``platform: state`` against real state changes and the manual clock."""

from __future__ import annotations

import pytest
from conftest import Setup, Tick

from hub.core.services import ServiceCall

ACTION = """
  action:
    - service: test.record
      data:
        from: "{{ trigger.from_state.state if trigger.from_state else none }}"
        to: "{{ trigger.to_state.state }}"
        id: "{{ trigger.id }}"
"""


@pytest.mark.parametrize(
    ("options", "changes", "fired"),
    [
        ("to: 'on'", ["on", "off", "on"], 2),
        ("from: 'off'\n    to: 'on'", ["dim", "on", "off", "on"], 1),
        ("not_to: 'unavailable'", ["on", "unavailable", "off"], 2),
        ("not_from: ['unavailable', 'unknown']", ["unavailable", "on", "off"], 2),
        ("to:", ["on", "on", "off"], 2),
        ("to: ['on', 'dim']", ["on", "dim", "off"], 2),
    ],
)
async def test_from_to_filters(
    setup: Setup, tick: Tick, calls: list[ServiceCall], options: str, changes: list[str], fired: int
) -> None:
    tick.set_state("light.lamp", "off")
    await setup(
        f"- trigger:\n    platform: state\n    entity_id: light.lamp\n    {options}\n{ACTION}"
    )
    for value in changes:
        tick.set_state("light.lamp", value, {"brightness": len(value)})
        await tick()
    assert len(calls) == fired


async def test_any_change_includes_attribute_changes(
    setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    tick.set_state("light.lamp", "on", {"brightness": 1})
    await setup(f"- trigger:\n    platform: state\n    entity_id: light.lamp\n{ACTION}")
    tick.set_state("light.lamp", "on", {"brightness": 2})
    await tick()
    assert len(calls) == 1


async def test_attribute_trigger(setup: Setup, tick: Tick, calls: list[ServiceCall]) -> None:
    tick.set_state("climate.room", "heat", {"current": 18})
    await setup(
        "- trigger:\n    platform: state\n    entity_id: climate.room\n"
        "    attribute: current\n    to: 21\n" + ACTION
    )
    tick.set_state("climate.room", "heat", {"current": 20})
    tick.set_state("climate.room", "cool", {"current": 20})
    await tick()
    assert calls == []
    tick.set_state("climate.room", "cool", {"current": 21})
    await tick()
    assert len(calls) == 1


async def test_for_waits_on_the_clock_and_cancels(
    setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    tick.set_state("binary_sensor.door", "off")
    await setup(
        "- trigger:\n    platform: state\n    entity_id: [binary_sensor.door]\n"
        "    to: 'on'\n    for: '00:01:00'\n" + ACTION
    )
    tick.set_state("binary_sensor.door", "on")
    await tick(30)
    tick.set_state("binary_sensor.door", "off")
    await tick(60)
    assert calls == []
    tick.set_state("binary_sensor.door", "on")
    await tick(59)
    assert calls == []
    tick.set_state("binary_sensor.door", "on", {"battery": 90})
    await tick(1)
    assert [call.data["to"] for call in calls] == ["on"]


async def test_for_as_template_and_trigger_id(
    setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    tick.set_state("switch.pump", "off")
    await setup(
        "- trigger:\n    - platform: state\n      id: pump_on\n      entity_id: switch.pump\n"
        "      to: 'on'\n      for: \"{{ 10 }}\"\n" + ACTION
    )
    tick.set_state("switch.pump", "on")
    await tick(10)
    assert [call.data["id"] for call in calls] == ["pump_on"]


async def test_disabled_trigger_is_not_attached(
    setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    tick.set_state("switch.a", "off")
    await setup(
        "- trigger:\n    - platform: state\n      entity_id: switch.a\n      enabled: false\n"
        + ACTION
    )
    tick.set_state("switch.a", "on")
    await tick()
    assert calls == []
