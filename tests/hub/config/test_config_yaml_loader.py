"""The YAML loader: annotated nodes, tags, and the errors it refuses with."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hub.config.errors import ConfigError
from hub.config.nodes import Location, NodeDict, NodeList, NodeStr
from hub.config.yaml_loader import YamlReader, load_yaml, load_yaml_text


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


def load(config_dir: Path, text: str, env: dict[str, str] | None = None) -> object:
    path = write(config_dir, "configuration.yaml", text)
    return load_yaml(path, config_dir=config_dir, env=env or {})


def load_error(config_dir: Path, text: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load(config_dir, text, env)
    return info.value.format()


def test_nodes_carry_file_and_lines(config_dir: Path) -> None:
    data = load(
        config_dir,
        """
        hub:
          name: North site
          tanks:
            - 120
            - east
        """,
    )
    path = config_dir / "configuration.yaml"
    assert isinstance(data, NodeDict)
    assert (data.__config_file__, data.__line__) == (path, 1)
    hub = data["hub"]
    assert isinstance(hub, NodeDict)
    assert hub.__line__ == 2
    assert isinstance(hub["name"], NodeStr)
    assert (hub["name"].__config_file__, hub["name"].__line__) == (path, 2)
    assert hub.key_location("tanks") == Location(path, 3)
    assert hub.value_location("tanks") == Location(path, 4)
    tanks = hub["tanks"]
    assert isinstance(tanks, NodeList)
    assert tanks == [120, "east"]
    assert tanks.item_location(0) == Location(path, 4)
    assert tanks.item_location(1) == Location(path, 5)


def test_keys_are_plain_strings(config_dir: Path) -> None:
    data = load(config_dir, "hub: {name: x}\n")
    assert isinstance(data, dict)
    assert [type(key) for key in data] == [str]


def test_clock_times_stay_text(config_dir: Path) -> None:
    assert load(config_dir, "at: 10:30\ndelay: 01:02:03\n") == {
        "at": "10:30",
        "delay": "01:02:03",
    }


def test_merge_keys_may_be_overridden(config_dir: Path) -> None:
    data = load(
        config_dir,
        """
        base: &base {interval: 5, unit: cm}
        tank:
          <<: *base
          interval: 10
        """,
    )
    assert data == {
        "base": {"interval": 5, "unit": "cm"},
        "tank": {"interval": 10, "unit": "cm"},
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "hub:\n  name: North: main\n",
            "config/configuration.yaml:2: invalid YAML: a ':' is not allowed here; wrap a "
            "value that contains ': ' in quotes, or check the line above for a missing ':' "
            "or wrong indentation",
        ),
        (
            "hub:\n\tname: x\n",
            "config/configuration.yaml:2: invalid YAML: tab character; indent with spaces, "
            "not tabs",
        ),
        (
            "hub:\n  name: @home\n",
            "config/configuration.yaml:2: invalid YAML: a value cannot start with '@'; wrap "
            "the value in quotes",
        ),
        (
            'hub:\n  name: "North\n  site_id: x\n',
            "config/configuration.yaml:2: invalid YAML: this quoted value is never closed; "
            "add the closing quote",
        ),
        (
            "hub:\n    name: x\n  site_id: y\n",
            "config/configuration.yaml:3: invalid YAML: bad indentation; line this key up "
            "with the keys above it",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "config/configuration.yaml:2: invalid YAML: only one YAML document is allowed "
            "per file; remove the '---' line",
        ),
    ],
    ids=["colon", "tab", "at-sign", "unclosed-quote", "indentation", "two-documents"],
)
def test_syntax_errors(config_dir: Path, text: str, expected: str) -> None:
    assert load_error(config_dir, text) == [expected]


def test_duplicate_key(config_dir: Path) -> None:
    text = """
    hub:
      name: North
      site_id: north
      name: South
    """
    assert load_error(config_dir, text) == [
        "config/configuration.yaml:4: duplicate key 'name' (first defined on line 2); "
        "remove one of them"
    ]


def test_unknown_tag_suggests_the_known_one(config_dir: Path) -> None:
    assert load_error(config_dir, "tanks: !includ tanks.yaml\n") == [
        "config/configuration.yaml:1: unknown tag '!includ' (did you mean '!include'?)"
    ]


def test_missing_configuration_file(config_dir: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_yaml(config_dir / "configuration.yaml", config_dir=config_dir)
    assert info.value.format() == ["config/configuration.yaml: file not found"]


def test_empty_file_is_none(config_dir: Path) -> None:
    assert load(config_dir, "# nothing yet\n") is None


def test_include(config_dir: Path) -> None:
    tanks = write(config_dir, "tanks/list.yaml", "- name: north\n  height_cm: 200\n")
    data = load(config_dir, "hub:\n  name: x\ntanks: !include tanks/list.yaml\n")
    assert isinstance(data, NodeDict)
    assert data["tanks"] == [{"name": "north", "height_cm": 200}]
    assert data.value_location("tanks") == Location(config_dir / "configuration.yaml", 3)
    first = data["tanks"][0]
    assert (first.__config_file__, first.__line__) == (tanks, 1)
    assert first.value_location("height_cm") == Location(tanks, 2)


def test_include_is_relative_to_the_including_file(config_dir: Path) -> None:
    write(config_dir, "site/tanks.yaml", "tanks: !include more/tanks.yaml\n")
    write(config_dir, "site/more/tanks.yaml", "- north\n")
    assert load(config_dir, "site: !include site/tanks.yaml\n") == {"site": {"tanks": ["north"]}}


def test_include_missing_file(config_dir: Path) -> None:
    assert load_error(config_dir, "hub:\n  name: x\ntanks: !include tanks.yaml\n") == [
        "config/configuration.yaml:3: cannot include 'tanks.yaml': file not found"
    ]


def test_include_cycle(config_dir: Path) -> None:
    write(config_dir, "a.yaml", "b: !include b.yaml\n")
    write(config_dir, "b.yaml", "# loops back\nback: !include configuration.yaml\n")
    assert load_error(config_dir, "a: !include a.yaml\n") == [
        "config/b.yaml:2: include cycle: config/configuration.yaml → config/a.yaml → "
        "config/b.yaml → config/configuration.yaml"
    ]


def test_include_error_points_into_the_included_file(config_dir: Path) -> None:
    write(config_dir, "tanks.yaml", "- name: a\n- name: b\n  name: c\n")
    assert load_error(config_dir, "tanks: !include tanks.yaml\n") == [
        "config/tanks.yaml:3: duplicate key 'name' (first defined on line 2); remove one of them"
    ]


def test_include_dir_list(config_dir: Path) -> None:
    write(config_dir, "alerts/b.yaml", "name: second\n")
    write(config_dir, "alerts/a.yaml", "name: first\n")
    write(config_dir, "alerts/nested/c.yaml", "name: third\n")
    write(config_dir, "alerts/empty.yaml", "")
    write(config_dir, "alerts/.hidden.yaml", "name: hidden\n")
    write(config_dir, "alerts/notes.txt", "name: not yaml\n")
    data = load(config_dir, "alert: !include_dir_list alerts\n")
    assert data == {"alert": [{"name": "first"}, {"name": "second"}, {"name": "third"}]}
    assert isinstance(data, NodeDict)
    assert data["alert"].item_location(1) == Location(config_dir / "alerts/b.yaml", 1)


def test_include_dir_merge_list(config_dir: Path) -> None:
    write(config_dir, "automations/a.yaml", "- id: one\n- id: two\n")
    write(config_dir, "automations/b.yaml", "- id: three\n")
    data = load(config_dir, "automation: !include_dir_merge_list automations\n")
    assert data == {"automation": [{"id": "one"}, {"id": "two"}, {"id": "three"}]}
    assert isinstance(data, NodeDict)
    second = data["automation"].item_location(1)
    assert second == Location(config_dir / "automations/a.yaml", 2)


def test_include_dir_merge_list_refuses_a_mapping(config_dir: Path) -> None:
    write(config_dir, "automations/a.yaml", "id: one\n")
    assert load_error(config_dir, "automation: !include_dir_merge_list automations\n") == [
        "config/automations/a.yaml:1: !include_dir_merge_list needs a list in every file"
    ]


def test_include_dir_named(config_dir: Path) -> None:
    write(config_dir, "tanks/north.yaml", "height_cm: 200\n")
    write(config_dir, "tanks/south.yaml", "height_cm: 150\n")
    write(config_dir, "tanks/secrets.yaml", "password: hunter2\n")
    data = load(config_dir, "tanks: !include_dir_named tanks\n")
    assert data == {"tanks": {"north": {"height_cm": 200}, "south": {"height_cm": 150}}}
    assert isinstance(data, NodeDict)
    assert data["tanks"].key_location("south") == Location(config_dir / "tanks/south.yaml", 1)


def test_include_dir_named_refuses_a_repeated_name(config_dir: Path) -> None:
    write(config_dir, "tanks/north.yaml", "height_cm: 200\n")
    write(config_dir, "tanks/old/north.yaml", "height_cm: 150\n")
    assert load_error(config_dir, "tanks: !include_dir_named tanks\n") == [
        "config/tanks/old/north.yaml:1: duplicate name 'north' in !include_dir_named "
        "(also config/tanks/north.yaml)"
    ]


def test_include_dir_merge_named(config_dir: Path) -> None:
    write(config_dir, "packages/a.yaml", "north: {height_cm: 200}\n")
    write(config_dir, "packages/b.yaml", "# south tank\nsouth: {height_cm: 150}\n")
    data = load(config_dir, "tanks: !include_dir_merge_named packages\n")
    assert data == {"tanks": {"north": {"height_cm": 200}, "south": {"height_cm": 150}}}
    assert isinstance(data, NodeDict)
    assert data["tanks"].key_location("south") == Location(config_dir / "packages/b.yaml", 2)


def test_include_dir_merge_named_refuses_a_repeated_key(config_dir: Path) -> None:
    write(config_dir, "packages/a.yaml", "north: {height_cm: 200}\n")
    write(config_dir, "packages/b.yaml", "# old\nnorth: {height_cm: 150}\n")
    assert load_error(config_dir, "tanks: !include_dir_merge_named packages\n") == [
        "config/packages/b.yaml:2: duplicate key 'north' (also in config/packages/a.yaml:1)"
    ]


def test_include_dir_missing(config_dir: Path) -> None:
    assert load_error(config_dir, "alert: !include_dir_list alerts\n") == [
        "config/configuration.yaml:1: cannot include directory 'alerts': not found"
    ]


def test_secret_from_the_config_dir(config_dir: Path) -> None:
    write(config_dir, "secrets.yaml", "mqtt_password: hunter2\nmqtt_port: 8883\n")
    data = load(config_dir, "mqtt:\n  password: !secret mqtt_password\n  port: !secret mqtt_port\n")
    assert data == {"mqtt": {"password": "hunter2", "port": 8883}}
    assert isinstance(data, NodeDict)
    mqtt = data["mqtt"]
    assert (mqtt["password"].__config_file__, mqtt["password"].__line__) == (
        config_dir / "configuration.yaml",
        2,
    )
    assert mqtt.value_location("port") == Location(
        config_dir / "configuration.yaml", 3, ("!secret", "mqtt_port")
    )


def test_secret_next_to_the_including_file_comes_first(config_dir: Path) -> None:
    write(config_dir, "secrets.yaml", "token: root-token\nurl: https://root.example\n")
    write(config_dir, "site/secrets.yaml", "token: site-token\n")
    write(config_dir, "site/notify.yaml", "token: !secret token\nurl: !secret url\n")
    assert load(config_dir, "notify: !include site/notify.yaml\n") == {
        "notify": {"token": "site-token", "url": "https://root.example"}
    }


def test_missing_secret_is_named_and_values_are_never_shown(config_dir: Path) -> None:
    write(config_dir, "secrets.yaml", "mqtt_password: hunter2\n")
    messages = load_error(config_dir, "mqtt:\n  password: !secret mqtt_pasword\n")
    assert messages == [
        "config/configuration.yaml:2: secret 'mqtt_pasword' is not defined in config/secrets.yaml"
    ]
    assert "hunter2" not in "\n".join(messages)


def test_secret_without_secrets_file(config_dir: Path) -> None:
    assert load_error(config_dir, "mqtt:\n  password: !secret mqtt_password\n") == [
        "config/configuration.yaml:2: secret 'mqtt_password' not found: there is no "
        "secrets.yaml in config"
    ]


def test_secrets_file_cannot_use_secret(config_dir: Path) -> None:
    write(config_dir, "secrets.yaml", "a: hunter2\nb: !secret a\n")
    assert load_error(config_dir, "x: !secret b\n") == [
        "config/secrets.yaml:2: secrets.yaml cannot use !secret; write the value itself"
    ]


def test_env_var(config_dir: Path) -> None:
    text = "mqtt:\n  host: !env_var MQTT_HOST\n  port: !env_var MQTT_PORT 1883\n"
    assert load(config_dir, text, env={"MQTT_HOST": "broker.local"}) == {
        "mqtt": {"host": "broker.local", "port": "1883"}
    }
    assert load(config_dir, text, env={"MQTT_HOST": "a", "MQTT_PORT": "8883"}) == {
        "mqtt": {"host": "a", "port": "8883"}
    }


def test_env_var_missing_without_default(config_dir: Path) -> None:
    assert load_error(config_dir, "mqtt:\n  host: !env_var MQTT_HOST\n") == [
        "config/configuration.yaml:2: environment variable 'MQTT_HOST' is not set; set it, "
        "or give a default: !env_var MQTT_HOST <default>"
    ]


def test_tag_without_argument(config_dir: Path) -> None:
    assert load_error(config_dir, "tanks: !include\n") == [
        "config/configuration.yaml:1: !include needs an argument, e.g. !include sensors.yaml"
    ]


def test_reader_remembers_every_file(config_dir: Path) -> None:
    write(config_dir, "secrets.yaml", "token: abc\n")
    write(config_dir, "tanks.yaml", "- north\n")
    write(config_dir, "alerts/a.yaml", "name: low\n")
    path = write(
        config_dir,
        "configuration.yaml",
        "tanks: !include tanks.yaml\ntoken: !secret token\nalert: !include_dir_list alerts\n",
    )
    reader = YamlReader(config_dir, env={})
    reader.load(path)
    assert reader.files == (
        path,
        config_dir / "tanks.yaml",
        config_dir / "secrets.yaml",
        config_dir / "alerts/a.yaml",
    )
    assert reader.directories == (config_dir / "alerts",)


def test_load_yaml_text(tmp_path: Path) -> None:
    data = load_yaml_text("a:\n  - 1\n", tmp_path / "inline.yaml")
    assert isinstance(data, NodeDict)
    assert data["a"].item_location(0) == Location(tmp_path / "inline.yaml", 2)
