"""A Home Assistant alert block pasted in behaves as in Home Assistant."""

from __future__ import annotations

from pathlib import Path

import pytest
from alerts_glue import running_alerts

from hub.core.clock import ManualClock
from hub.core.errors import ServiceValidationError

MIN = 60.0

GARAGE = """
alert:
  garage_door:
    name: Garage is open
    done_message: Garage is closed
    entity_id: binary_sensor.garage_door
    state: "on"
    repeat:
      - 5
      - 15
      - 30
    can_acknowledge: true
    skip_first: false
    title: Garage
    message: "Garage door open"
    notifiers:
      - phone
    data:
      priority: high
"""


async def test_repeat_list_then_last_interval_forever(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, GARAGE, clock) as h:
        assert h.alert("garage_door").state == "idle"
        start = clock.time()
        await h.set("binary_sensor.garage_door", "on")
        assert h.alert("garage_door").state == "on"
        for minutes in (5, 15, 30, 30):
            await h.advance(minutes * MIN)
        offsets = [(s.ts - start) / MIN for s in h.sent]
        assert offsets == [0, 5, 20, 50, 80]
        assert h.sent[0].data == {
            "message": "Garage door open",
            "title": "Garage",
            "data": {"priority": "high"},
        }


async def test_ack_keeps_timer_silent_and_done_message_follows(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, GARAGE, clock) as h:
        await h.set("binary_sensor.garage_door", "on")
        await h.call("turn_off", "garage_door")
        assert h.alert("garage_door").state == "off"
        await h.advance(60 * MIN)
        assert h.messages() == ["Garage door open"]
        await h.call("turn_on", "garage_door")
        assert h.alert("garage_door").state == "on"
        await h.call("toggle", "garage_door")
        assert h.alert("garage_door").state == "off"
        await h.set("binary_sensor.garage_door", "off")
        assert h.alert("garage_door").state == "idle"
        assert h.messages() == ["Garage door open", "Garage is closed"]
        assert h.sent[-1].data["title"] == "Garage"


async def test_skip_first_and_no_done_message_without_a_notification(config_dir: Path) -> None:
    clock = ManualClock()
    text = GARAGE.replace("skip_first: false", "skip_first: true")
    async with running_alerts(config_dir, text, clock) as h:
        await h.set("binary_sensor.garage_door", "on")
        await h.advance(4 * MIN)
        await h.set("binary_sensor.garage_door", "off")
        assert h.sent == []
        await h.set("binary_sensor.garage_door", "on")
        await h.advance(5 * MIN)
        assert h.messages() == ["Garage door open"]
        await h.set("binary_sensor.garage_door", "off")
        assert h.messages() == ["Garage door open", "Garage is closed"]


async def test_can_acknowledge_false_refuses_turn_off(config_dir: Path) -> None:
    clock = ManualClock()
    text = GARAGE.replace("can_acknowledge: true", "can_acknowledge: false")
    async with running_alerts(config_dir, text, clock) as h:
        await h.set("binary_sensor.garage_door", "on")
        with pytest.raises(ServiceValidationError, match="This alert cannot be acknowledged"):
            await h.call("turn_off", "garage_door")
        assert h.alert("garage_door").state == "on"


async def test_fires_at_start_when_already_in_alert_state(config_dir: Path) -> None:
    clock = ManualClock()
    initial = {"binary_sensor.garage_door": "on"}
    async with running_alerts(config_dir, GARAGE, clock, initial=initial) as h:
        assert h.alert("garage_door").state == "on"
        assert h.messages() == ["Garage door open"]


async def test_missing_notifier_is_retried_at_the_next_interval(config_dir: Path) -> None:
    clock = ManualClock()
    text = GARAGE.replace("      - phone", "      - phone\n      - pager")
    async with running_alerts(config_dir, text, clock) as h:
        await h.set("binary_sensor.garage_door", "on")
        assert [s.notifier for s in h.sent] == ["phone"]
        h.add_notifier("pager")
        await h.advance(5 * MIN)
        assert [s.notifier for s in h.sent] == ["phone", "phone", "pager"]
