"""``platform: numeric_state``: crossings, start-up, unavailable, ``for`` and templates."""

from __future__ import annotations

import pytest
from conftest import Setup, Tick

from hub.core.services import ServiceCall

ACTION = """
  action:
    - service: test.record
      data:
        value: "{{ trigger.to_state.state }}"
"""


def automation(options: str) -> str:
    return f"- trigger:\n    platform: numeric_state\n    entity_id: sensor.temp\n{options}{ACTION}"


@pytest.mark.parametrize(
    ("options", "start", "readings", "fired"),
    [
        ("    above: 20\n", "10", ["15", "25", "26", "18", "21"], ["25", "21"]),
        ("    below: '5'\n", "10", ["4", "3", "6", "4.9"], ["4", "4.9"]),
        ("    above: 10\n    below: 20\n", "0", ["15", "25", "12", "5"], ["15", "12"]),
        ("    above: 20\n", "25", ["26", "19", "22"], ["22"]),
        ("    above: 20\n", "10", ["25", "unavailable", "26", "abc", "30"], ["25", "26", "30"]),
        ("    above: 20\n    fire_on_start: true\n", "25", ["26", "19", "22"], ["25", "22"]),
        ("    above: input_number.limit\n", "10", ["40", "45", "10", "55"], ["55"]),
    ],
)
async def test_fires_on_crossing(
    setup: Setup,
    tick: Tick,
    calls: list[ServiceCall],
    options: str,
    start: str,
    readings: list[str],
    fired: list[str],
) -> None:
    tick.set_state("input_number.limit", "50")
    tick.set_state("sensor.temp", start)
    await setup(automation(options))
    for reading in readings:
        tick.set_state("sensor.temp", reading)
        await tick()
    assert [str(call.data["value"]) for call in calls] == fired


async def test_attribute_and_value_template(
    setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    tick.set_state("sensor.tank", "ok", {"level": 10})
    await setup(
        "- trigger:\n    - platform: numeric_state\n      entity_id: sensor.tank\n"
        "      attribute: level\n      above: 50\n"
        "    - platform: numeric_state\n      entity_id: sensor.tank\n"
        '      value_template: "{{ state.attributes.level * 2 }}"\n      above: 150\n'
        '  action:\n    - service: test.record\n      data:\n        idx: "{{ trigger.idx }}"\n'
    )
    tick.set_state("sensor.tank", "ok", {"level": 60})
    await tick()
    tick.set_state("sensor.tank", "ok", {"level": 80})
    await tick()
    assert [call.data["idx"] for call in calls] == [0, 1]


async def test_for_requires_staying_past_the_threshold(
    setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    tick.set_state("sensor.temp", "10")
    await setup(automation("    above: 20\n    for:\n      minutes: 5\n"))
    tick.set_state("sensor.temp", "25")
    await tick(120)
    tick.set_state("sensor.temp", "15")
    await tick(300)
    assert calls == []
    tick.set_state("sensor.temp", "25")
    await tick(200)
    tick.set_state("sensor.temp", "27")
    await tick(100)
    assert [call.data["value"] for call in calls] == [25]
