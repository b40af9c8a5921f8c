"""Template, event, hub start/shutdown, device and plugin (MQTT-style) triggers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import voluptuous as vol
from conftest import Setup, Tick, parse_automations

from hub.automation.component import async_setup
from hub.core.hub import Hub
from hub.core.services import ServiceCall
from hub.plugins.markers import hookimpl
from hub.testing.plugin import RegisterPlugin

RECORD = """
  action:
    - service: test.record
      data:
        platform: "{{ trigger.platform }}"
        id: "{{ trigger.id }}"
        info: "{{ trigger.description }}"
"""


async def test_template_trigger_fires_on_false_to_true(
    setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    tick.set_state("sensor.a", "1")
    tick.set_state("sensor.b", "1")
    await setup(
        "- trigger:\n    platform: template\n"
        "    value_template: \"{{ states('sensor.a') | int + states('sensor.b') | int > 5 }}\"\n"
        + RECORD
    )
    tick.set_state("sensor.a", "4")
    tick.set_state("sensor.b", "2")
    await tick()
    tick.set_state("sensor.b", "3")
    await tick()
    assert len(calls) == 1
    tick.set_state("sensor.b", "0")
    tick.set_state("sensor.b", "9")
    await tick()
    assert len(calls) == 2


async def test_template_trigger_with_for(
    setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    tick.set_state("switch.a", "off")
    await setup(
        "- trigger:\n    platform: template\n"
        "    value_template: \"{{ is_state('switch.a', 'on') }}\"\n    for: 10\n" + RECORD
    )
    tick.set_state("switch.a", "on")
    await tick(5)
    tick.set_state("switch.a", "off")
    await tick(10)
    assert calls == []
    tick.set_state("switch.a", "on")
    await tick(10)
    assert len(calls) == 1


async def test_event_trigger_matches_data(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    await setup(
        "- mode: parallel\n  trigger:\n    platform: event\n"
        "    event_type: [button_pressed, knob]\n"
        "    event_data:\n      button: 1\n"
        + RECORD.replace("trigger.id", "trigger.event.data.button")
    )
    hub.bus.fire("button_pressed", {"button": 2})
    hub.bus.fire("button_pressed", {"button": 1, "extra": True})
    hub.bus.fire("knob", {"button": 1})
    await tick()
    assert [(c.data["platform"], c.data["id"]) for c in calls] == [("event", 1), ("event", 1)]


async def test_hub_start_and_shutdown(starting_hub: Hub) -> None:
    hub = starting_hub
    seen: list[str] = []
    hub.services.register("test", "record", lambda call: seen.append(call.data["what"]))
    configs = await hub.run_in_executor(
        parse_automations,
        hub,
        """
- trigger: {platform: homeassistant, event: start}
  action: {service: test.record, data: {what: ha_start}}
- trigger: {trigger: hub, event: start}
  action: {service: test.record, data: {what: hub_start}}
- trigger: {platform: hub, event: shutdown}
  action: {service: test.record, data: {what: stop}}
""",
    )
    await async_setup(hub, configs)
    hub.mark_started()
    await Tick(hub, hub.clock).settle()  # type: ignore[arg-type]
    assert sorted(seen) == ["ha_start", "hub_start"]
    await hub.stop()
    assert seen[-1] == "stop"


async def test_device_offline_by_entities_and_connectivity(
    hub: Hub, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    plain = await hub.device_registry.register("demo", "Tank", [("mac", "aa:00")])
    linked = await hub.device_registry.register("demo", "Press", [("mac", "aa:01")])
    entries: dict[str, str] = {}
    for unique, device in (("level", plain), ("temp", plain), ("link", linked), ("rpm", linked)):
        platform = "binary_sensor" if unique == "link" else "sensor"
        entry = await hub.entity_registry.get_or_create(
            "demo", platform, unique, suggested_object_id=unique, device_id=device.id
        )
        entries[unique] = entry.entity_id
    for unique in ("level", "temp", "rpm"):
        tick.set_state(entries[unique], "1")
    tick.set_state(entries["link"], "on", {"device_class": "connectivity"})
    await setup(
        f"- trigger:\n    - platform: device\n      device_id: {plain.id}\n      type: offline\n"
        f"      id: tank\n    - platform: device\n      device_id: {linked.id}\n"
        f"      type: offline\n      id: press\n      for: 30\n" + RECORD
    )
    tick.set_state(entries["level"], "unavailable")
    await tick()
    assert calls == []
    tick.set_state(entries["temp"], "unavailable")
    await tick()
    assert [c.data["id"] for c in calls] == ["tank"]
    tick.set_state(entries["rpm"], "unavailable")
    tick.set_state(entries["link"], "off", {"device_class": "connectivity"})
    await tick(29)
    assert len(calls) == 1
    await tick(1)
    assert [c.data["id"] for c in calls] == ["tank", "press"]


class MqttLikePlugin:
    """A plugin adding ``platform: mqtt`` through the same hook the MQTT integration uses."""

    def __init__(self) -> None:
        self.subscribers: dict[str, list[Callable[[str], None]]] = {}

    @hookimpl
    def fieldhub_register_triggers(self, register: Callable[..., None]) -> None:
        schema = vol.Schema({vol.Required("topic"): str, vol.Optional("payload"): str})

        def attach(hub: Hub, config: Mapping[str, Any], fire: Any) -> Callable[[], None]:
            def received(payload: str) -> None:
                if config.get("payload") in (None, payload):
                    fire({"topic": config["topic"], "payload": payload, "description": "mqtt"})

            self.subscribers.setdefault(config["topic"], []).append(received)
            return lambda: self.subscribers[config["topic"]].remove(received)

        register("mqtt", schema, attach)


async def test_plugin_trigger(
    hub: Hub,
    register_plugin: RegisterPlugin,
    setup: Setup,
    tick: Tick,
    calls: list[ServiceCall],
) -> None:
    plugin = MqttLikePlugin()
    register_plugin(plugin, {"domain": "mqtt_like", "name": "MQTT-like", "version": "1.0"})
    engine = await setup(
        "- trigger:\n    platform: mqtt\n    topic: site/door\n    payload: open\n"
        '  action:\n    service: test.record\n    data:\n      got: "{{ trigger.payload }}"\n'
    )
    for payload in ("closed", "open"):
        for subscriber in list(plugin.subscribers["site/door"]):
            subscriber(payload)
    await tick()
    assert [c.data["got"] for c in calls] == ["open"]
    await engine.stop()
    assert plugin.subscribers["site/door"] == []
