"""Deadband, delays, template conditions and suppression, driven by a manual clock."""

from __future__ import annotations

from pathlib import Path

from alerts_glue import running_alerts

from hub.core.clock import ManualClock

BOILER = """
alert:
  boiler_hot:
    name: Boiler hot
    entity_id: sensor.boiler
    above: 90
    deadband: 2
    delay_on: {delay_on}
    delay_off: {delay_off}
    severity: critical
    message: "Boiler at {{{{ value }}}} °C"
    repeat: 600
    notifiers: [phone]
"""


def boiler(delay_on: float = 0, delay_off: float = 0) -> str:
    return BOILER.format(delay_on=delay_on, delay_off=delay_off)


async def test_oscillation_within_the_deadband_raises_one_alert(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, boiler(), clock) as h:
        for value in (89, 91, 89, 91, 89.5, 90.5, 89, 91):
            await h.set("sensor.boiler", value)
            await h.advance(1)
        state = h.alert("boiler_hot")
        assert state.state == "on"
        assert state.attributes["isa_state"] == "B"
        assert state.attributes["severity"] == "critical"
        assert state.attributes["last_value"] == 91.0
        assert h.messages() == ["Boiler at 91.0 °C"]
        await h.set("sensor.boiler", 87.9)
        assert h.alert("boiler_hot").state == "idle"
        assert h.alert("boiler_hot").attributes["isa_state"] == "D"


async def test_a_spike_shorter_than_delay_on_never_alarms(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, boiler(delay_on=5), clock) as h:
        await h.set("sensor.boiler", 95)
        await h.advance(2)
        await h.set("sensor.boiler", 80)
        await h.advance(10)
        assert h.alert("boiler_hot").state == "idle"
        assert h.sent == []
        await h.set("sensor.boiler", 95)
        await h.advance(4.9)
        assert h.alert("boiler_hot").state == "idle"
        await h.advance(0.1)
        assert h.alert("boiler_hot").state == "on"
        assert len(h.sent) == 1


async def test_delay_off_holds_the_alert_until_the_value_stays_back(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, boiler(delay_off=30), clock) as h:
        await h.set("sensor.boiler", 95)
        await h.set("sensor.boiler", 80)
        await h.advance(20)
        await h.set("sensor.boiler", 95)
        await h.set("sensor.boiler", 80)
        await h.advance(29)
        assert h.alert("boiler_hot").state == "on"
        await h.advance(1)
        assert h.alert("boiler_hot").state == "idle"
        assert len(h.sent) == 1


async def test_unreadable_values_hold_the_condition(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, boiler(), clock) as h:
        await h.set("sensor.boiler", 95)
        await h.set("sensor.boiler", "unavailable")
        assert h.alert("boiler_hot").state == "on"


LINE = """
alert:
  line_stopped:
    name: Line stopped during a shift
    value_template: >-
      {{ is_state('sensor.line', 'down') and is_state('binary_sensor.shift', 'on') }}
    severity: info
    delay_on: 120
    repeat: 30
    notifiers: [phone]
"""


async def test_template_condition_follows_the_entities_it_reads(config_dir: Path) -> None:
    clock = ManualClock()
    async with running_alerts(config_dir, LINE, clock) as h:
        await h.set("sensor.line", "down")
        await h.advance(300)
        assert h.alert("line_stopped").state == "idle"
        await h.set("binary_sensor.shift", "on")
        await h.advance(119)
        assert h.alert("line_stopped").state == "idle"
        await h.advance(1)
        assert h.alert("line_stopped").state == "on"
        assert h.messages() == ["Line stopped during a shift"]
        await h.set("sensor.line", "running")
        assert h.alert("line_stopped").state == "idle"


TANK = """
alert:
  tank_low:
    name: Tank 1 low
    entity_id: sensor.tank_level
    below: 15
    repeat: 60
    suppress_when: "{{ not is_state('sensor.machine', 'running') }}"
    notifiers: [phone]
"""


async def test_suppressed_alert_is_recorded_but_not_annunciated(config_dir: Path) -> None:
    clock = ManualClock()
    initial = {"sensor.machine": "running"}
    async with running_alerts(config_dir, TANK, clock, initial=initial) as h:
        await h.set("sensor.machine", "stopped")
        assert h.alert("tank_low").attributes["suppressed"] is True
        await h.set("sensor.tank_level", 10)
        state = h.alert("tank_low")
        assert state.state == "on"
        assert state.attributes["isa_state"] == "G"
        assert state.attributes["occurrence_id"] is not None
        await h.advance(3600)
        assert h.sent == []
        await h.set("sensor.machine", "running")
        assert h.alert("tank_low").attributes["isa_state"] == "B"
        assert h.messages() == ["Tank 1 low"]
