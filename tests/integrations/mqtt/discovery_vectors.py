"""Discovery messages as Zigbee2MQTT, Tasmota and ESPHome publish them (retained)."""

from __future__ import annotations

import json
from typing import Any

Z2M_DEVICE = {
    "identifiers": ["zigbee2mqtt_0x00158d0001a2b3c4"],
    "manufacturer": "Aqara",
    "model": "Temperature and humidity sensor (WSDCGQ11LM)",
    "name": "living_room_sensor",
    "sw_version": "3000-0001",
    "via_device": "zigbee2mqtt_bridge_0x00124b0022a5c5f1",
}
Z2M_AVAILABILITY = [
    {"topic": "zigbee2mqtt/bridge/state", "value_template": "{{ value_json.state }}"}
]
Z2M_ORIGIN = {"name": "Zigbee2MQTT", "sw": "1.35.1", "url": "https://www.zigbee2mqtt.io"}

ZIGBEE2MQTT: dict[str, dict[str, Any]] = {
    "homeassistant/sensor/0x00158d0001a2b3c4/temperature/config": {
        "availability": Z2M_AVAILABILITY,
        "device": Z2M_DEVICE,
        "device_class": "temperature",
        "enabled_by_default": True,
        "object_id": "living_room_sensor_temperature",
        "origin": Z2M_ORIGIN,
        "state_class": "measurement",
        "state_topic": "zigbee2mqtt/living_room_sensor",
        "unique_id": "0x00158d0001a2b3c4_temperature_zigbee2mqtt",
        "unit_of_measurement": "°C",
        "value_template": "{{ value_json.temperature }}",
    },
    "homeassistant/sensor/0x00158d0001a2b3c4/humidity/config": {
        "availability": Z2M_AVAILABILITY,
        "device": Z2M_DEVICE,
        "device_class": "humidity",
        "enabled_by_default": True,
        "object_id": "living_room_sensor_humidity",
        "origin": Z2M_ORIGIN,
        "state_class": "measurement",
        "state_topic": "zigbee2mqtt/living_room_sensor",
        "unique_id": "0x00158d0001a2b3c4_humidity_zigbee2mqtt",
        "unit_of_measurement": "%",
        "value_template": "{{ value_json.humidity }}",
    },
    "homeassistant/binary_sensor/0x00158d0001a2b3c4/contact/config": {
        "availability": Z2M_AVAILABILITY,
        "device": Z2M_DEVICE,
        "device_class": "door",
        "name": "Contact",
        "object_id": "living_room_sensor_contact",
        "origin": Z2M_ORIGIN,
        "payload_off": True,
        "payload_on": False,
        "state_topic": "zigbee2mqtt/living_room_sensor",
        "unique_id": "0x00158d0001a2b3c4_contact_zigbee2mqtt",
        "value_template": "{{ value_json.contact }}",
    },
    "homeassistant/light/0x00158d0001a2b3c4/light/config": {
        "availability": Z2M_AVAILABILITY,
        "brightness": True,
        "command_topic": "zigbee2mqtt/living_room_sensor/set",
        "device": Z2M_DEVICE,
        "schema": "json",
        "state_topic": "zigbee2mqtt/living_room_sensor",
        "unique_id": "0x00158d0001a2b3c4_light_zigbee2mqtt",
    },
}

TASMOTA_DEVICE = {
    "ids": ["A1B2C3"],
    "name": "Tasmota",
    "mdl": "Sonoff Basic",
    "sw": "9.5.0(tasmota)",
    "mf": "Tasmota",
    "cns": [["mac", "A4:CF:12:A1:B2:C3"]],
}

TASMOTA: dict[str, dict[str, Any]] = {
    "homeassistant/switch/A1B2C3_RL_1/config": {
        "name": "Tasmota",
        "cmd_t": "~cmnd/POWER",
        "stat_t": "~tele/STATE",
        "val_tpl": "{{value_json.POWER}}",
        "pl_off": "OFF",
        "pl_on": "ON",
        "avty_t": "~tele/LWT",
        "pl_avail": "Online",
        "pl_not_avail": "Offline",
        "uniq_id": "A1B2C3_RL_1",
        "dev": TASMOTA_DEVICE,
        "~": "tasmota_A1B2C3/",
    },
    "homeassistant/sensor/A1B2C3_SI7021_Temperature/config": {
        "name": "Tasmota SI7021 Temperature",
        "stat_t": "~SENSOR",
        "avty_t": "~LWT",
        "frc_upd": True,
        "pl_avail": "Online",
        "pl_not_avail": "Offline",
        "uniq_id": "A1B2C3_SI7021_Temperature",
        "dev": {"ids": ["A1B2C3"]},
        "unit_of_meas": "°C",
        "dev_cla": "temperature",
        "json_attr_t": "~HASS_STATE",
        "val_tpl": "{{value_json['SI7021'].Temperature}}",
        "~": "tele/tasmota_A1B2C3/",
    },
    "homeassistant/sensor/A1B2C3_ENERGY_Power/config": {
        "name": "Tasmota ENERGY Power",
        "stat_t": "tele/tasmota_A1B2C3/SENSOR",
        "avty_t": "tele/tasmota_A1B2C3/LWT",
        "pl_avail": "Online",
        "pl_not_avail": "Offline",
        "uniq_id": "A1B2C3_ENERGY_Power",
        "dev": {"ids": ["A1B2C3"]},
        "unit_of_meas": "kWh",
        "dev_cla": "power",
        "val_tpl": "{{value_json['ENERGY']['Power']}}",
    },
}

ESPHOME_DEVICE = {
    "ids": "a4cf12abcdef",
    "name": "livingroom",
    "sw": "esphome v2024.2.0 Feb 20 2024, 10:00:00",
    "mdl": "esp32dev",
    "mf": "espressif",
    "cns": [["mac", "a4cf12abcdef"]],
}
ESPHOME_ORIGIN = {"name": "esphome", "sw": "2024.2.0", "url": "https://esphome.io"}

ESPHOME: dict[str, dict[str, Any]] = {
    "homeassistant/sensor/livingroom/temperature/config": {
        "dev_cla": "temperature",
        "unit_of_meas": "°C",
        "stat_cla": "measurement",
        "name": "Temperature",
        "stat_t": "livingroom/sensor/temperature/state",
        "avty_t": "livingroom/status",
        "uniq_id": "ESPsensortemperature",
        "dev": ESPHOME_DEVICE,
        "o": ESPHOME_ORIGIN,
    },
    "homeassistant/switch/livingroom/relay/config": {
        "name": "Relay",
        "stat_t": "livingroom/switch/relay/state",
        "cmd_t": "livingroom/switch/relay/command",
        "avty_t": "livingroom/status",
        "uniq_id": "ESPswitchrelay",
        "dev": ESPHOME_DEVICE,
        "o": ESPHOME_ORIGIN,
    },
    "homeassistant/binary_sensor/livingroom/motion/config": {
        "dev_cla": "motion",
        "name": "Motion",
        "stat_t": "livingroom/binary_sensor/motion/state",
        "avty_t": "livingroom/status",
        "uniq_id": "ESPbinary_sensormotion",
        "dev": ESPHOME_DEVICE,
        "o": ESPHOME_ORIGIN,
    },
}

DEVICE_BASED = {
    "homeassistant/device/ea334450945afc/config": {
        "dev": {
            "ids": "ea334450945afc",
            "name": "Kitchen",
            "mf": "Bla electronics",
            "mdl": "xya",
            "sw": "1.0",
            "sn": "ea334450945afc",
            "hw": "1.0rev2",
        },
        "o": {"name": "bla2mqtt", "sw": "2.1", "url": "https://bla2mqtt.example.com/support"},
        "cmps": {
            "some_unique_component_id1": {
                "p": "sensor",
                "device_class": "temperature",
                "unit_of_measurement": "°C",
                "value_template": "{{ value_json.temperature }}",
                "unique_id": "temp01ae_t",
            },
            "some_unique_id2": {
                "p": "sensor",
                "device_class": "humidity",
                "unit_of_measurement": "%",
                "value_template": "{{ value_json.humidity }}",
                "unique_id": "temp01ae_h",
            },
        },
        "state_topic": "sensorBedroom/state",
        "qos": 1,
    }
}


def encoded(vectors: dict[str, dict[str, Any]]) -> dict[str, bytes]:
    """Payloads as the devices send them (compact JSON)."""
    return {topic: json.dumps(p, separators=(",", ":")).encode() for topic, p in vectors.items()}
