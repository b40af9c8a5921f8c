"""YAML-configured MQTT entities against a real Mosquitto: publish, then read the state."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mqtt_helpers import settle, wait_for

from hub.core.hub import Hub

pytestmark = pytest.mark.mosquitto


async def test_sensor_value_template_unit_and_json_attributes(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    runtime = await setup_mqtt_on(
        broker,
        {
            "sensor": [
                {
                    "name": "Tank level",
                    "unique_id": "tank_level",
                    "state_topic": "plant/tank1/state",
                    "value_template": "{{ value_json.level }}",
                    "unit_of_measurement": "%",
                    "state_class": "measurement",
                    "json_attributes_topic": "plant/tank1/attrs",
                }
            ]
        },
    )
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await pub.publish_wait("plant/tank1/state", json.dumps({"level": 42.5, "temp": 20}))
    await pub.publish_wait("plant/tank1/attrs", json.dumps({"firmware": "1.2"}))
    await wait_for(lambda: "firmware" in hub.states.get("sensor.tank_level").attributes)
    await settle(hub, runtime)
    state = hub.states.get("sensor.tank_level")
    assert state.state == "42.5"
    assert state.attributes["unit_of_measurement"] == "%"
    assert state.attributes["state_class"] == "measurement"
    assert state.attributes["firmware"] == "1.2"
    # Readings reuse the entity's read-only attributes until new ones arrive.
    await pub.publish_wait("plant/tank1/state", json.dumps({"level": 43.0}))
    await wait_for(lambda: hub.states.get("sensor.tank_level").state == "43.0")
    assert hub.states.get("sensor.tank_level").attributes is state.attributes
    await pub.publish_wait("plant/tank1/attrs", json.dumps({"firmware": "1.3"}))
    await wait_for(lambda: hub.states.get("sensor.tank_level").attributes["firmware"] == "1.3")
    assert state.attributes["firmware"] == "1.2"  # the earlier state kept its own


async def test_sensor_refuses_text_when_numeric(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    runtime = await setup_mqtt_on(
        broker, {"sensor": [{"name": "T", "state_topic": "t/1", "unit_of_measurement": "°C"}]}
    )
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await pub.publish_wait("t/1", "21.5")
    await pub.publish_wait("t/1", "warm")
    await pub.publish_wait("t/1", "None")
    await wait_for(
        lambda: hub.states.get("sensor.t").state == "unknown" and runtime.stats.received >= 3
    )
    await pub.publish_wait("t/1", "22")
    await wait_for(lambda: hub.states.get("sensor.t").state == "22")


@pytest.mark.parametrize(
    ("mode", "messages", "expected"),
    [
        ("latest", [("a/avail", "online"), ("b/avail", "offline")], "unavailable"),
        ("latest", [("b/avail", "offline"), ("a/avail", "online")], "unknown"),
        ("all", [("a/avail", "online")], "unavailable"),
        ("all", [("a/avail", "online"), ("b/avail", "online")], "unknown"),
        ("any", [("b/avail", "online")], "unknown"),
        ("any", [], "unavailable"),
    ],
)
async def test_availability_modes(
    hub: Hub,
    broker: Any,
    setup_mqtt_on: Any,
    publisher_factory: Any,
    mode: str,
    messages: list[tuple[str, str]],
    expected: str,
) -> None:
    runtime = await setup_mqtt_on(
        broker,
        {
            "binary_sensor": [
                {
                    "name": "Door",
                    "state_topic": "door/state",
                    "availability_mode": mode,
                    "availability": [
                        {"topic": "a/avail"},
                        {"topic": "b/avail", "value_template": "{{ value }}"},
                    ],
                }
            ]
        },
    )
    pub = publisher_factory(broker)
    await pub.wait_connected()
    for topic, payload in messages:
        await pub.publish_wait(topic, payload)
    await wait_for(lambda: runtime.stats.received >= len(messages))
    await settle(hub, runtime)
    assert hub.states.get("binary_sensor.door").state == expected


async def test_expire_after_marks_unavailable(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    await setup_mqtt_on(
        broker, {"sensor": [{"name": "Pulse", "state_topic": "p/1", "expire_after": 1}]}
    )
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await pub.publish_wait("p/1", "5")
    await wait_for(lambda: hub.states.get("sensor.pulse").state == "5")
    await wait_for(lambda: hub.states.get("sensor.pulse").state == "unavailable", within=5)


async def test_switch_commands_and_state(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    runtime = await setup_mqtt_on(
        broker,
        {
            "switch": [
                {"name": "Pump", "state_topic": "pump/state", "command_topic": "pump/set"},
                {
                    "name": "Valve",
                    "command_topic": "valve/set",
                    "payload_on": "1",
                    "payload_off": "0",
                },
            ]
        },
    )
    seen: list[str] = []
    runtime.subscribe("+/set", lambda m: seen.append(f"{m.topic}={m.text}"), 0)
    await settle(hub, runtime)
    await hub.services.call("switch", "turn_on", {"entity_id": "switch.pump"})
    await hub.services.call("switch", "turn_on", {"entity_id": "switch.valve"})
    await wait_for(lambda: len(seen) == 2)
    assert sorted(seen) == ["pump/set=ON", "valve/set=1"]
    # Not optimistic: the pump waits for its state topic; the valve is optimistic.
    assert hub.states.get("switch.pump").state == "unknown"
    assert hub.states.get("switch.valve").state == "on"
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await pub.publish_wait("pump/state", "ON")
    await wait_for(lambda: hub.states.get("switch.pump").state == "on")


async def test_number_select_text_button_event_update(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    runtime = await setup_mqtt_on(
        broker,
        {
            "number": [
                {
                    "name": "Setpoint",
                    "state_topic": "sp/state",
                    "command_topic": "sp/set",
                    "min": 0,
                    "max": 50,
                    "step": 0.5,
                }
            ],
            "select": [
                {
                    "name": "Mode",
                    "state_topic": "mode/state",
                    "command_topic": "mode/set",
                    "options": ["eco", "boost"],
                }
            ],
            "text": [
                {
                    "name": "Label",
                    "state_topic": "label/state",
                    "command_topic": "label/set",
                    "max": 8,
                }
            ],
            "button": [{"name": "Restart", "command_topic": "restart/set"}],
            "event": [
                {"name": "Remote", "state_topic": "remote/action", "event_types": ["press", "hold"]}
            ],
            "update": [
                {
                    "name": "Firmware",
                    "state_topic": "fw/state",
                    "latest_version_topic": "fw/latest",
                    "command_topic": "fw/install",
                }
            ],
        },
    )
    commands: list[str] = []
    runtime.subscribe("+/set", lambda m: commands.append(f"{m.topic}={m.text}"), 0)
    runtime.subscribe("fw/install", lambda m: commands.append(f"{m.topic}={m.text}"), 0)
    await settle(hub, runtime)
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await pub.publish_wait("sp/state", "21.5")
    await pub.publish_wait("mode/state", "eco")
    await pub.publish_wait("mode/state", "turbo")  # not an option: ignored
    await pub.publish_wait("label/state", "hello")
    await pub.publish_wait("remote/action", json.dumps({"event_type": "hold", "duration": 2}))
    await pub.publish_wait("fw/state", "1.0.0")
    await pub.publish_wait("fw/latest", "1.1.0")
    await wait_for(lambda: hub.states.get("update.firmware").state == "on")
    await settle(hub, runtime)
    assert hub.states.get("number.setpoint").state == "21.5"
    assert hub.states.get("select.mode").state == "eco"
    assert hub.states.get("text.label").state == "hello"
    remote = hub.states.get("event.remote")
    assert remote.attributes["event_type"] == "hold"
    assert remote.attributes["duration"] == 2
    assert hub.states.get("update.firmware").attributes["latest_version"] == "1.1.0"

    await hub.services.call("number", "set_value", {"entity_id": "number.setpoint", "value": 30})
    await hub.services.call(
        "select", "select_option", {"entity_id": "select.mode", "option": "boost"}
    )
    await hub.services.call("text", "set_value", {"entity_id": "text.label", "value": "abc"})
    await hub.services.call("button", "press", {"entity_id": "button.restart"})
    await hub.services.call("update", "install", {"entity_id": "update.firmware"})
    await wait_for(lambda: len(commands) == 5)
    assert sorted(commands) == [
        "fw/install=install",
        "label/set=abc",
        "mode/set=boost",
        "restart/set=PRESS",
        "sp/set=30",
    ]
    assert hub.states.get("button.restart").state != "unknown"
