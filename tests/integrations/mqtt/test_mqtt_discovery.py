"""Home Assistant MQTT discovery with Zigbee2MQTT, Tasmota and ESPHome messages."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from discovery_vectors import DEVICE_BASED, ESPHOME, TASMOTA, ZIGBEE2MQTT, encoded
from mqtt_helpers import settle, wait_for

from hub.core.hub import Hub
from integrations.mqtt.discovery import MQTT_DISCOVERY

pytestmark = pytest.mark.mosquitto


async def _publish_all(pub: Any, vectors: dict[str, dict[str, Any]]) -> None:
    for topic, payload in encoded(vectors).items():
        await pub.publish_wait(topic, payload, qos=1, retain=True)


async def test_zigbee2mqtt_retained_configs_on_connect(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any, caplog: Any
) -> None:
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await _publish_all(pub, ZIGBEE2MQTT)
    await pub.publish_wait("zigbee2mqtt/bridge/state", '{"state":"online"}', retain=True)
    caplog.set_level(logging.WARNING, "integrations.mqtt")
    runtime = await setup_mqtt_on(broker)  # configs arrive as retained messages
    await wait_for(lambda: len(hub.data[MQTT_DISCOVERY].entities) == 3)
    await settle(hub, runtime)
    # The retained bridge state makes the entities available.
    await wait_for(
        lambda: hub.states.get("sensor.living_room_sensor_temperature").state == "unknown"
    )
    temperature = hub.states.get("sensor.living_room_sensor_temperature")
    assert temperature.attributes["unit_of_measurement"] == "°C"
    assert temperature.attributes["friendly_name"] == "living_room_sensor"
    contact = hub.states.get("binary_sensor.living_room_sensor_contact")
    assert contact.attributes["friendly_name"] == "living_room_sensor Contact"
    devices = hub.device_registry.devices("mqtt")
    assert len(devices) == 1
    assert ("mqtt", "zigbee2mqtt_0x00158d0001a2b3c4") in devices[0].identifiers
    assert devices[0].model == "Temperature and humidity sensor (WSDCGQ11LM)"
    assert temperature.attributes["device_id"] == devices[0].id

    await pub.publish_wait(
        "zigbee2mqtt/living_room_sensor",
        json.dumps({"temperature": 21.3, "humidity": 48.2, "contact": False, "battery": 97}),
    )
    await wait_for(lambda: hub.states.get("sensor.living_room_sensor_temperature").state == "21.3")
    assert hub.states.get("sensor.living_room_sensor_humidity").state == "48.2"
    assert hub.states.get("binary_sensor.living_room_sensor_contact").state == "on"
    # The light is not a supported component: reported once, not crashed on.
    await pub.publish_wait(
        "homeassistant/light/0x00158d0001a2b3c4/light/config",
        json.dumps(
            {
                **ZIGBEE2MQTT["homeassistant/light/0x00158d0001a2b3c4/light/config"],
                "brightness": False,
            }
        ),
        retain=True,
    )
    await settle(hub, runtime)
    assert sum("'light' is not supported" in r.getMessage() for r in caplog.records) == 1

    await pub.publish_wait("zigbee2mqtt/bridge/state", '{"state":"offline"}', retain=True)
    await wait_for(
        lambda: hub.states.get("sensor.living_room_sensor_temperature").state == "unavailable"
    )


async def test_tasmota_abbreviations_tilde_and_unit_warning(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any, caplog: Any
) -> None:
    caplog.set_level(logging.WARNING, "integrations.mqtt")
    runtime = await setup_mqtt_on(broker)
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await _publish_all(pub, TASMOTA)
    await wait_for(lambda: len(hub.data[MQTT_DISCOVERY].entities) == 3)
    await settle(hub, runtime)
    # Slightly wrong metadata (power in kWh) is kept with a warning.
    assert hub.states.get("sensor.tasmota_energy_power") is not None
    assert any("device class power with unit kWh" in r.getMessage() for r in caplog.records)
    devices = hub.device_registry.devices("mqtt")
    assert len(devices) == 1 and devices[0].model == "Sonoff Basic"
    assert ("mac", "A4:CF:12:A1:B2:C3") in devices[0].identifiers

    await pub.publish_wait("tasmota_A1B2C3/tele/LWT", "Online", retain=True)
    await pub.publish_wait("tele/tasmota_A1B2C3/LWT", "Online", retain=True)
    await pub.publish_wait("tasmota_A1B2C3/tele/STATE", json.dumps({"POWER": "ON"}))
    await pub.publish_wait(
        "tele/tasmota_A1B2C3/SENSOR",
        json.dumps({"SI7021": {"Temperature": 23.4, "Humidity": 40.1}, "ENERGY": {"Power": 12}}),
    )
    await pub.publish_wait("tele/tasmota_A1B2C3/HASS_STATE", json.dumps({"RSSI": 78}))
    await wait_for(lambda: hub.states.get("sensor.tasmota_si7021_temperature").state == "23.4")
    await wait_for(lambda: hub.states.get("switch.tasmota").state == "on")
    await wait_for(
        lambda: hub.states.get("sensor.tasmota_si7021_temperature").attributes.get("RSSI") == 78
    )
    commands: list[str] = []
    runtime.subscribe("tasmota_A1B2C3/cmnd/#", lambda m: commands.append(m.text), 0)
    await settle(hub, runtime)
    await hub.services.call("switch", "turn_off", {"entity_id": "switch.tasmota"})
    await wait_for(lambda: commands == ["OFF"])


async def test_esphome_string_ids_update_in_place_and_removal(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    runtime = await setup_mqtt_on(broker)
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await _publish_all(pub, ESPHOME)
    await pub.publish_wait("livingroom/status", "online", retain=True)
    await wait_for(lambda: len(hub.data[MQTT_DISCOVERY].entities) == 3)
    await settle(hub, runtime)
    devices = hub.device_registry.devices("mqtt")
    assert len(devices) == 1
    assert ("mqtt", "a4cf12abcdef") in devices[0].identifiers
    await wait_for(lambda: hub.states.get("sensor.livingroom_temperature").state == "unknown")

    await pub.publish_wait("livingroom/sensor/temperature/state", "22.75")
    await wait_for(lambda: hub.states.get("sensor.livingroom_temperature").state == "22.75")
    entity = hub.entities.get("sensor.livingroom_temperature")

    # An update in place: same entity object, same id, the value kept, new unit.
    topic = "homeassistant/sensor/livingroom/temperature/config"
    changed = {**ESPHOME[topic], "unit_of_meas": "°F", "name": "Temp"}
    await pub.publish_wait(topic, json.dumps(changed), retain=True)
    await wait_for(
        lambda: (
            hub.states.get("sensor.livingroom_temperature").attributes.get("unit_of_measurement")
            == "°F"
        )
    )
    assert hub.entities.get("sensor.livingroom_temperature") is entity
    assert hub.states.get("sensor.livingroom_temperature").state == "22.75"

    # An empty payload removes.
    await pub.publish_wait(topic, b"", retain=True)
    await wait_for(lambda: hub.states.get("sensor.livingroom_temperature") is None)
    assert len(hub.data[MQTT_DISCOVERY].entities) == 2


async def test_device_based_discovery_components(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    runtime = await setup_mqtt_on(broker)
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await _publish_all(pub, DEVICE_BASED)
    await wait_for(lambda: len(hub.data[MQTT_DISCOVERY].entities) == 2)
    await settle(hub, runtime)
    await pub.publish_wait("sensorBedroom/state", json.dumps({"temperature": 19.5, "humidity": 51}))
    await wait_for(lambda: hub.states.get("sensor.kitchen_2") is not None)
    states = {s.entity_id: s.state for s in hub.states.all("sensor")}
    await wait_for(lambda: {s.state for s in hub.states.all("sensor")} >= {"19.5", "51"})
    assert len(states) >= 2
    device = hub.device_registry.devices("mqtt")[0]
    assert device.name == "Kitchen" and device.hw_version == "1.0rev2"

    # Dropping a component from cmps removes its entity.
    topic = "homeassistant/device/ea334450945afc/config"
    smaller = json.loads(json.dumps(DEVICE_BASED[topic]))
    smaller["cmps"]["some_unique_id2"] = {"p": "sensor"}
    await pub.publish_wait(topic, json.dumps(smaller), retain=True)
    await wait_for(lambda: len(hub.data[MQTT_DISCOVERY].entities) == 1)


async def test_removing_device_clears_retained_config(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    runtime = await setup_mqtt_on(broker)
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await _publish_all(pub, ESPHOME)
    await wait_for(lambda: len(hub.data[MQTT_DISCOVERY].entities) == 3)
    await settle(hub, runtime)
    seen: list[tuple[str, bytes]] = []
    runtime.subscribe(
        "homeassistant/+/livingroom/+/config", lambda m: seen.append((m.topic, m.payload))
    )
    await wait_for(lambda: len(seen) == 3)  # the retained configs, for the new subscription
    await settle(hub, runtime)
    device = hub.device_registry.devices("mqtt")[0]
    await hub.device_registry.remove(device.id)
    await wait_for(lambda: len(seen) == 6)
    cleared = [topic for topic, payload in seen if not payload]
    assert sorted(cleared) == sorted(ESPHOME)
    await wait_for(lambda: not hub.states.entity_ids("switch"))
    assert len(hub.data[MQTT_DISCOVERY].entities) == 0
    assert hub.device_registry.devices("mqtt") == []


async def test_invalid_discovery_payloads_are_skipped(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    runtime = await setup_mqtt_on(broker)
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await pub.publish_wait("homeassistant/sensor/bad/json/config", "{not json")
    await pub.publish_wait("homeassistant/sensor/bad/list/config", "[1, 2]")
    await pub.publish_wait(
        "homeassistant/select/bad/options/config", json.dumps({"stat_t": "x", "ops": []})
    )
    await pub.publish_wait(
        "homeassistant/sensor/good/one/config", json.dumps({"stat_t": "good/one", "name": "Good"})
    )
    await wait_for(lambda: hub.states.get("sensor.good") is not None)
    await settle(hub, runtime)
    assert len(hub.data[MQTT_DISCOVERY].entities) == 1
