"""The ``automation.*`` entities and services, initial_state, traces kept, and reload."""

from __future__ import annotations

import asyncio

import pytest
from conftest import Setup, Tick

from hub.automation.engine import ENGINE
from hub.core.errors import ServiceValidationError
from hub.core.events import EVENT_AUTOMATION_TRIGGERED
from hub.core.hub import Hub
from hub.core.services import ServiceCall

TWO = """
- id: kitchen_light
  alias: Kitchen light
  description: Lights on with motion
  trigger: {platform: event, event_type: motion}
  condition: "{{ trigger.platform is none or trigger.event.data.ok }}"
  action: {service: test.record, data: {n: kitchen}}
- alias: Off at start
  initial_state: false
  mode: parallel
  max: 4
  trace: {stored_traces: 2}
  trigger: {platform: event, event_type: motion}
  action: {service: test.record, data: {n: second}}
"""


async def test_entities_and_attributes(hub: Hub, setup: Setup, tick: Tick) -> None:
    await setup(TWO)
    kitchen = hub.states.get("automation.kitchen_light")
    second = hub.states.get("automation.off_at_start")
    assert kitchen is not None and second is not None
    assert kitchen.state == "on" and second.state == "off"
    assert kitchen.attributes["id"] == "kitchen_light"
    assert kitchen.attributes["friendly_name"] == "Kitchen light"
    assert kitchen.attributes["mode"] == "single" and kitchen.attributes["current"] == 0
    assert kitchen.attributes["last_triggered"] is None
    assert second.attributes["max"] == 4


async def test_services(hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]) -> None:
    triggered: list[str] = []
    hub.bus.listen(EVENT_AUTOMATION_TRIGGERED, lambda e: triggered.append(e.data["entity_id"]))
    await setup(TWO)
    hub.bus.fire("motion", {"ok": True})
    await tick()
    assert [c.data["n"] for c in calls] == ["kitchen"]
    await hub.services.call("automation", "turn_on", {"entity_id": "automation.off_at_start"})
    await hub.services.call("automation", "turn_off", {"entity_id": "automation.kitchen_light"})
    hub.bus.fire("motion", {"ok": True})
    await tick()
    assert [c.data["n"] for c in calls] == ["kitchen", "second"]
    await hub.services.call("automation", "toggle", {"entity_id": "all"})
    states = {s.entity_id: s.state for s in hub.states.all("automation")}
    assert states == {"automation.kitchen_light": "on", "automation.off_at_start": "off"}
    await hub.services.call(
        "automation", "trigger", {"entity_id": "automation.off_at_start", "skip_condition": False}
    )
    await hub.services.call("automation", "trigger", {"entity_id": "automation.kitchen_light"})
    await tick()
    assert [c.data["n"] for c in calls][-2:] == ["second", "kitchen"]
    assert triggered.count("automation.kitchen_light") == 2
    with pytest.raises(ServiceValidationError, match="no automation"):
        await hub.services.call("automation", "turn_on", {"entity_id": "automation.nope"})


async def test_stored_traces_limit(hub: Hub, setup: Setup, tick: Tick) -> None:
    engine = await setup(TWO)
    second = engine.get("automation.off_at_start")
    kitchen = engine.get("kitchen_light")
    assert second is not None and kitchen is not None
    for _ in range(7):
        second.trigger({"platform": None})
        kitchen.trigger({"platform": None})
        await tick()
    assert len(second.traces) == 2 and len(kitchen.traces) == 5


async def test_turn_off_cancels_running_actions(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    await setup(
        "- id: slow\n  trigger: {platform: event, event_type: go}\n"
        "  action: [{delay: 10}, {service: test.record}]\n"
    )
    hub.bus.fire("go")
    await tick(1)
    await hub.services.call("automation", "turn_off", {"entity_id": "automation.slow"})
    await tick(20)
    engine = hub.data[ENGINE]
    trace = engine.get("slow").traces.latest()  # type: ignore[union-attr]
    assert calls == [] and trace is not None and trace.script_execution == "cancelled"


async def test_reload_reads_yaml_and_keeps_old_set_on_error(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    config = hub.config_dir
    (config / "configuration.yaml").write_text("automation: !include automations.yaml\n")
    (config / "automations.yaml").write_text(
        "- id: one\n  trigger: {platform: event, event_type: go}\n"
        "  action: {service: test.record, data: {n: one}}\n"
    )
    await setup("- id: zero\n  trigger: {platform: event, event_type: go}\n  action: []\n")
    await hub.services.call("automation", "turn_off", {"entity_id": "automation.zero"})
    await hub.services.call("automation", "reload", {})
    assert [s.entity_id for s in hub.states.all("automation")] == ["automation.one"]
    (config / "automations.yaml").write_text(
        "- id: one\n  trigger: {platform: event, event_type: go}\n"
        "  action: {service: test.record, data: {n: one}}\n"
        "- id: two\n  trigger:\n    platform: stat\n  action: []\n"
    )
    with pytest.raises(ServiceValidationError, match=r"automations.yaml:6: .*unknown trigger"):
        await hub.services.call("automation", "reload", {})
    assert [s.entity_id for s in hub.states.all("automation")] == ["automation.one"]
    notice = hub.notices.get("automation_reload")
    assert notice is not None and "automations.yaml:6" in notice.message
    hub.bus.fire("go")
    await tick()
    assert [c.data["n"] for c in calls] == ["one"]
    (config / "automations.yaml").write_text("[]\n")
    await hub.services.call("automation", "reload", {})
    assert hub.states.all("automation") == [] and hub.notices.get("automation_reload") is None


async def test_an_automation_may_reload_automations(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    config = hub.config_dir
    text = (
        "- id: reloader\n  trigger: {platform: event, event_type: go}\n"
        "  action:\n    - service: automation.reload\n    - service: test.record\n"
    )
    (config / "configuration.yaml").write_text("automation: !include automations.yaml\n")
    (config / "automations.yaml").write_text(text)
    engine = await setup(text)
    old = engine.get("reloader")
    assert old is not None
    hub.bus.fire("go")
    await tick()
    trace = old.traces.latest()
    assert trace is not None
    for _ in range(500):  # the reload reads the files in an executor thread
        if trace.state == "stopped":
            break
        await asyncio.sleep(0.01)
    assert trace.script_execution == "finished"
    assert len(calls) == 1 and engine.get("reloader") is not old
