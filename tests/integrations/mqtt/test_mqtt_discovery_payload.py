"""Discovery payload expansion: abbreviations, ``~``, device blocks, device-based configs."""

from __future__ import annotations

import pytest

from integrations.mqtt.discovery_payload import (
    DiscoveryTopic,
    expand_payload,
    is_removal_stub,
    parse_topic,
    split_device_payload,
)
from integrations.mqtt.schema import DISCOVERY_SCHEMAS


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("homeassistant/sensor/node/obj/config", DiscoveryTopic("sensor", "node", "obj")),
        ("homeassistant/switch/A1B2C3_RL_1/config", DiscoveryTopic("switch", None, "A1B2C3_RL_1")),
        ("homeassistant/status", None),
        ("homeassistant/sensor/a/b/c/config", None),
        ("other/sensor/x/config", None),
    ],
)
def test_parse_topic(topic: str, expected: DiscoveryTopic | None) -> None:
    assert parse_topic("homeassistant", topic) == expected


def test_abbreviations_then_tilde_at_both_ends() -> None:
    data = expand_payload(
        {
            "~": "tasmota_A1/",
            "cmd_t": "~cmnd/POWER",
            "stat_t": "tele/~",
            "val_tpl": "{{ value }}",
            "dev": {"ids": "A1", "mf": "Tasmota", "cns": [["mac", "aa"]]},
            "o": {"name": "x", "sw": "1"},
            "avty": [{"t": "~LWT", "pl_avail": "Online"}],
            "name": "~not a topic",
        }
    )
    assert data["command_topic"] == "tasmota_A1/cmnd/POWER"
    assert data["state_topic"] == "tele/tasmota_A1/"
    assert data["value_template"] == "{{ value }}"
    assert data["device"] == {
        "identifiers": ["A1"],
        "manufacturer": "Tasmota",
        "connections": [["mac", "aa"]],
    }
    assert data["origin"] == {"name": "x", "sw_version": "1"}
    assert data["availability"] == [{"topic": "tasmota_A1/LWT", "payload_available": "Online"}]
    assert data["name"] == "~not a topic"
    assert "~" not in data


def test_string_booleans_and_unknown_keys_in_discovery() -> None:
    config = DISCOVERY_SCHEMAS["sensor"](
        expand_payload({"stat_t": "a", "frc_upd": "true", "en": "false", "json_attr": ["x"]})
    )
    assert config["force_update"] is True
    assert config["enabled_by_default"] is False
    assert "json_attributes" not in config


def test_device_based_split_shares_root_keys() -> None:
    data = expand_payload(
        {
            "dev": {"ids": "d1"},
            "stat_t": "d1/state",
            "cmps": {"t": {"p": "sensor", "val_tpl": "{{ value_json.t }}"}, "h": {"p": "sensor"}},
        }
    )
    parts = split_device_payload(data)
    assert parts["t"]["state_topic"] == "d1/state"
    assert parts["t"]["value_template"] == "{{ value_json.t }}"
    assert parts["t"]["device"] == {"identifiers": ["d1"]}
    assert is_removal_stub(data["components"]["h"])
    assert not is_removal_stub(data["components"]["t"])
