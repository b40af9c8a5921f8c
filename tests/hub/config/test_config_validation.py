"""Section validation: located, readable issues from voluptuous errors."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol

from hub.config import cv
from hub.config.errors import ConfigError, format_issue
from hub.config.nodes import NodeDict
from hub.config.validation import validate_section
from hub.config.yaml_loader import load_yaml

TANK_SCHEMA = vol.Schema(
    {
        vol.Required("tanks"): [
            {
                vol.Required("name"): cv.string,
                vol.Required("height_cm"): cv.number,
                vol.Optional("interval", default=60): vol.All(vol.Coerce(int), vol.Range(1, 3600)),
                vol.Optional("alarm_level_pct"): cv.in_range(0, 100),
                vol.Optional("label"): str,
            }
        ],
        vol.Optional("site"): vol.All(cv.ensure_list, [cv.slug]),
        vol.Optional("password"): cv.string,
        vol.Optional("port"): cv.port,
    }
)


def write(config_dir: Path, name: str, text: str) -> Path:
    path = config_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "config"
    directory.mkdir()
    return directory


def section(config_dir: Path, text: str) -> tuple[Any, NodeDict]:
    path = write(config_dir, "configuration.yaml", text)
    raw = load_yaml(path, config_dir=config_dir, env={})
    assert isinstance(raw, NodeDict)
    return raw["tank_node"], raw


def errors(config_dir: Path, text: str, schema: vol.Schema = TANK_SCHEMA) -> list[str]:
    value, raw = section(config_dir, text)
    with pytest.raises(ConfigError) as info:
        validate_section("tank_node", schema, value, location=raw.value_location("tank_node"))
    return [format_issue(issue, base=config_dir.parent) for issue in info.value.issues]


def test_valid_section_returns_the_validated_value(config_dir: Path) -> None:
    value, _ = section(config_dir, "tank_node:\n  tanks:\n    - {name: north, height_cm: '200'}\n")
    assert validate_section("tank_node", TANK_SCHEMA, value) == {
        "tanks": [{"name": "north", "height_cm": 200.0, "interval": 60}]
    }


def test_wrong_type_in_an_included_file(config_dir: Path) -> None:
    write(
        config_dir,
        "tanks.yaml",
        """
        # Tanks on the north site.
        #
        # Heights are measured from the sensor face
        # to the bottom of the tank, in centimetres.
        - name: north
          height_cm: 200
          interval: 30

        # The south tank was added in spring.
        # It is taller than the north one.
        # Its sensor sits on a bracket,
        # so the height is taken from the bracket.
        - name: south
          height_cm: tall
          interval: 30
        """,
    )
    assert errors(config_dir, "tank_node:\n  tanks: !include tanks.yaml\n") == [
        "config/tanks.yaml:14: tank_node → tanks → 1 → height_cm: expected a number, got 'tall'"
    ]


def test_out_of_range(config_dir: Path) -> None:
    text = """
    tank_node:
      tanks:
        - name: north
          height_cm: 200
          interval: 7200
          alarm_level_pct: 120
    """
    assert errors(config_dir, text) == [
        "config/configuration.yaml:5: tank_node → tanks → 0 → interval: "
        "value must be at most 3600, got 7200",
        "config/configuration.yaml:6: tank_node → tanks → 0 → alarm_level_pct: "
        "expected a number between 0 and 100, got 120",
    ]


def test_unknown_key_points_at_the_key_with_a_suggestion(config_dir: Path) -> None:
    text = """
    tank_node:
      tanks:
        - name: north
          heigth_cm:
            200
    """
    assert errors(config_dir, text) == [
        "config/configuration.yaml:4: tank_node → tanks → 0: unknown key 'heigth_cm' "
        "(did you mean 'height_cm'?)",
        "config/configuration.yaml:3: tank_node → tanks → 0: required key 'height_cm' is missing",
    ]


def test_unknown_key_without_a_close_match_lists_the_valid_keys(config_dir: Path) -> None:
    text = "tank_node:\n  tanks: []\n  colour: blue\n"
    assert errors(config_dir, text) == [
        "config/configuration.yaml:3: tank_node: unknown key 'colour'; "
        "valid keys: tanks, site, password, port"
    ]


def test_every_issue_is_reported(config_dir: Path) -> None:
    text = """
    tank_node:
      tanks:
        - name: north
          height_cm: high
          label: 12
      site: North Site
      port: 70000
    """
    assert errors(config_dir, text) == [
        "config/configuration.yaml:4: tank_node → tanks → 0 → height_cm: "
        "expected a number, got 'high'",
        "config/configuration.yaml:5: tank_node → tanks → 0 → label: "
        "expected text, got 12; wrap the value in quotes",
        "config/configuration.yaml:6: tank_node → site → 0: expected a slug (lowercase "
        "letters, digits and underscores), got 'North Site'; try 'north_site'",
        "config/configuration.yaml:7: tank_node → port: "
        "expected a port number between 1 and 65535, got 70000",
    ]


def test_yes_and_no_read_as_booleans_get_a_quoting_hint(config_dir: Path) -> None:
    text = "tank_node:\n  tanks: []\n  password: yes\n"
    assert errors(config_dir, text) == [
        "config/configuration.yaml:3: tank_node → password: expected text, got true "
        "(YAML reads on/off/yes/no as true/false); wrap the value in quotes"
    ]


def test_wrong_container_type(config_dir: Path) -> None:
    text = "tank_node:\n  tanks:\n    name: north\n"
    assert errors(config_dir, text) == [
        "config/configuration.yaml:3: tank_node → tanks: expected a list, got a mapping"
    ]


def test_empty_section_uses_the_section_location(config_dir: Path) -> None:
    assert errors(config_dir, "hub:\n  name: x\ntank_node:\n") == [
        "config/configuration.yaml:3: tank_node: expected a mapping, got an empty value"
    ]


def test_secret_values_are_never_shown(config_dir: Path) -> None:
    write(config_dir, "secrets.yaml", "tank_height: hunter2\nsouth_port: 99999\n")
    text = """
    tank_node:
      tanks:
        - name: north
          height_cm: !secret tank_height
      port: !secret south_port
    """
    messages = errors(config_dir, text)
    assert messages == [
        "config/configuration.yaml:4: tank_node → tanks → 0 → height_cm: "
        "expected a number, got the value of !secret tank_height",
        "config/configuration.yaml:5: tank_node → port: expected a port number between 1 "
        "and 65535, got the value of !secret south_port",
    ]
    assert "hunter2" not in "\n".join(messages)
    assert "99999" not in "\n".join(messages)


def test_text_derived_from_a_secret_is_withheld(config_dir: Path) -> None:
    write(config_dir, "secrets.yaml", "token: Hunter Two\nzone: Hunter/Two\n")
    schema = vol.Schema({vol.Required("token"): cv.slug, vol.Required("zone"): cv.time_zone})
    text = "tank_node:\n  token: !secret token\n  zone: !secret zone\n"
    messages = errors(config_dir, text, schema)
    assert messages == [
        "config/configuration.yaml:2: tank_node → token: expected a slug (lowercase letters, "
        "digits and underscores), got the value of !secret token",
        "config/configuration.yaml:3: tank_node → zone: invalid value from !secret zone",
    ]
    assert "hunter" not in "\n".join(messages).lower()


def test_nested_schemas_inside_all_and_any_suggest_keys(config_dir: Path) -> None:
    schema = vol.Schema(
        vol.All(
            {
                vol.Required("machines"): vol.Any(
                    [{vol.Required("name"): str, vol.Optional("modbus_host"): str}],
                    {vol.Required("name"): str, vol.Optional("ingest_key"): str},
                )
            }
        )
    )
    text = "tank_node:\n  machines:\n    - name: press\n      modbus_hots: 10.0.0.5\n"
    assert errors(config_dir, text, schema) == [
        "config/configuration.yaml:4: tank_node → machines → 0: unknown key 'modbus_hots' "
        "(did you mean 'modbus_host'?)"
    ]


def test_plain_values_without_locations(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        validate_section("tank_node", TANK_SCHEMA, {"tanks": [{"name": "n", "height_cm": "x"}]})
    assert info.value.format() == ["tank_node → tanks → 0 → height_cm: expected a number, got 'x'"]


@pytest.mark.parametrize(
    ("validator", "written", "message"),
    [
        (vol.Coerce(float), "tall", "expected a number, got 'tall'"),
        (vol.Coerce(int), "two", "expected a whole number, got 'two'"),
        (int, "five", "expected a whole number, got 'five'"),
        (bool, "maybe", "expected true or false, got 'maybe'"),
        (
            vol.In(["metric", "imperial"]),
            "metrc",
            "value must be one of ['imperial', 'metric'], got 'metrc'",
        ),
        (vol.Length(max=3), "'abcd'", "length of value must be at most 3, got 'abcd'"),
        (vol.Any("low", "high"), "mid", "not a valid value, got 'mid'"),
        (vol.Match(r"^\d+$"), "abc", "does not match regular expression ^\\d+$"),
    ],
    ids=["coerce-float", "coerce-int", "int", "bool", "in", "length", "literal", "match"],
)
def test_voluptuous_messages_are_rewritten(
    config_dir: Path, validator: Any, written: str, message: str
) -> None:
    schema = vol.Schema({vol.Required("value"): validator})
    assert errors(config_dir, f"tank_node:\n  value: {written}\n", schema) == [
        f"config/configuration.yaml:2: tank_node → value: {message}"
    ]
