"""The alert.* services: acknowledge, shelve, reset, raise/clear, out of service, chatter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alerts_glue import running_alerts

from hub.core.bus import Event
from hub.core.clock import ManualClock
from hub.core.errors import ServiceValidationError
from hub.core.events import EVENT_ALERT_CHANGED

CONFIG = """
alert:
  level_high:
    name: Level high
    entity_id: sensor.level
    above: 80
    latched: true
    max_shelve: "01:00:00"
    realarm_after: 600
    repeat: 60
    notifiers: [phone]
  chattering_valve:
    name: Valve chattering
    entity_id: binary_sensor.valve
    repeat: 60
    chatter:
      threshold: 3
      window: 60
      auto_shelve: "00:10:00"
    notifiers: [phone]
  operator_call:
    name: Operator called to the line
    severity: info
    message: "Operator needed: {{ value }}"
    repeat: 10
  defaults:
    notifiers:
      info: [radio]
"""


async def test_acknowledge_records_the_actor_and_fires_alert_changed(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, CONFIG, clock) as h:
        events: list[Event] = []
        h.hub.bus.listen(EVENT_ALERT_CHANGED, events.append)
        await h.set("sensor.level", 85)
        await h.call("acknowledge", "level_high", user="u-anna")
        assert [(e.data["action"], e.data["actor"]) for e in events] == [
            ("activate", "system"),
            ("acknowledge", "u-anna"),
        ]
        last = events[-1].data
        assert (last["from_state"], last["to_state"]) == ("B", "C")
        assert last["alert"]["state"] == "off"
        assert events[-1].context.user_id == "u-anna"
        with pytest.raises(ServiceValidationError, match="already acknowledged"):
            await h.call("acknowledge", "level_high")


async def test_shelve_limits_and_reasons(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, CONFIG, clock) as h:
        await h.set("sensor.level", 85)
        with pytest.raises(ServiceValidationError, match="exceeds the maximum of 1 h"):
            await h.call("shelve", "level_high", duration="02:00:00", reason="maintenance")
        with pytest.raises(ServiceValidationError, match="reason"):
            await h.call("shelve", "level_high", duration=60)
        with pytest.raises(ServiceValidationError, match="a reason is required"):
            await h.call("shelve", "level_high", duration=60, reason="  ")
        await h.call("shelve", "level_high", duration="00:30:00", reason="sensor swap")
        state = h.alert("level_high")
        assert state.attributes["shelved"] is True
        assert state.attributes["shelve_until"] == "2026-01-01T00:30:00+00:00"
        await h.call("unshelve", "level_high")
        assert h.alert("level_high").attributes["shelved"] is False


async def test_one_shot_shelve_ends_when_the_alert_clears(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, CONFIG, clock) as h:
        await h.set("binary_sensor.valve", "on")
        await h.call("shelve", "chattering_valve", reason="valve out of use")
        assert h.alert("chattering_valve").attributes["isa_state"] == "F"
        await h.set("binary_sensor.valve", "off")
        assert h.alert("chattering_valve").attributes["shelved"] is False


async def test_latched_alert_needs_a_reset(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, CONFIG, clock) as h:
        with pytest.raises(ServiceValidationError, match="cannot reset"):
            await h.call("reset", "level_high")
        await h.set("sensor.level", 85)
        await h.set("sensor.level", 50)
        state = h.alert("level_high")
        assert (state.state, state.attributes["isa_state"]) == ("on", "E")
        await h.call("reset", "level_high", user="u-anna")
        state = h.alert("level_high")
        assert (state.state, state.attributes["isa_state"]) == ("idle", "A")


async def test_realarm_sends_an_acknowledged_alert_back(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, CONFIG, clock) as h:
        await h.set("sensor.level", 85)
        await h.call("acknowledge", "level_high")
        await h.advance(600, step=60)
        assert h.alert("level_high").attributes["isa_state"] == "B"
        assert h.messages("phone") == ["Level high", "Level high"]


async def test_manual_alerts_raise_and_clear_by_action(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, CONFIG, clock, notifiers=("phone", "radio")) as h:
        await h.call("raise", "operator_call", value="station 4", reason="button")
        state = h.alert("operator_call")
        assert (state.state, state.attributes["last_value"]) == ("on", "station 4")
        occurrence = state.attributes["occurrence_id"]
        await h.call("raise", "operator_call", value="station 5")
        assert h.alert("operator_call").attributes["occurrence_id"] == occurrence
        assert [(s.notifier, s.data["message"]) for s in h.sent] == [
            ("radio", "Operator needed: station 4")
        ]
        await h.call("clear", "operator_call")
        assert h.alert("operator_call").attributes["isa_state"] == "D"
        with pytest.raises(ServiceValidationError, match=r"watches sensor\.level"):
            await h.call("raise", "level_high")
        with pytest.raises(ServiceValidationError, match="not a configured alert"):
            await h.hub.services.call("alert", "raise", {"entity_id": "alert.nope"})


async def test_out_of_service_withholds_notifications(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, CONFIG, clock) as h:
        await h.call("set_out_of_service", "level_high", reason="calibration")
        await h.set("sensor.level", 90)
        assert h.alert("level_high").attributes["isa_state"] == "H"
        assert h.sent == []
        await h.call("set_out_of_service", "level_high", out_of_service=False)
        assert h.alert("level_high").attributes["isa_state"] == "B"
        assert h.messages() == ["Level high"]


async def test_chattering_alert_is_auto_shelved_before_it_annunciates(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, CONFIG, clock) as h:
        changes: list[dict[str, Any]] = []
        h.hub.bus.listen(EVENT_ALERT_CHANGED, lambda e: changes.append(dict(e.data)))
        for _ in range(3):
            await h.set("binary_sensor.valve", "on")
            await h.advance(10)
            await h.set("binary_sensor.valve", "off")
            await h.advance(10)
        assert h.messages() == ["Valve chattering", "Valve chattering"]
        shelve = next(c for c in changes if c["action"] == "shelve_timed")
        assert shelve["actor"] == "system"
        assert shelve["reason"] == "chattering: 3 activations within 1 min"
        await h.set("binary_sensor.valve", "on")
        assert h.alert("chattering_valve").attributes["isa_state"] == "F"
        assert len(h.sent) == 2
