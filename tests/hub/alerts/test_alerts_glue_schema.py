"""The alert: section through the configuration loader: HA blocks, Fieldhub keys, errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hub.alerts.evaluator import BooleanCondition, StateCondition, ThresholdCondition
from hub.alerts.schema import CONFIG_SCHEMA, AlertSection
from hub.alerts.severity import Severity
from hub.config.errors import ConfigError
from hub.config.loader import load_configuration


def load(config_dir: Path, text: str) -> AlertSection:
    (config_dir / "configuration.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    section = load_configuration(config_dir, {"alert": CONFIG_SCHEMA}, env={}).sections["alert"]
    assert isinstance(section, AlertSection)
    return section


def errors(config_dir: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load(config_dir, text)
    return info.value.format()


def test_missing_or_empty_section_gives_no_alerts() -> None:
    assert CONFIG_SCHEMA({}).alerts == {}
    assert CONFIG_SCHEMA(None).alerts == {}


def test_home_assistant_block_loads_unchanged(config_dir: Path) -> None:
    section = load(
        config_dir,
        """
        alert:
          freezer_open:
            name: Freezer is open
            done_message: Freezer is closed
            entity_id: binary_sensor.freezer_door
            state: on
            repeat: 30
            can_acknowledge: false
            skip_first: true
            title: Freezer
            message: "{{ states('sensor.freezer_temp') }} °C"
            data:
              push:
                sound: alarm.caf
            notifiers: ravi_phone
        """,
    )
    freezer = section.alerts["freezer_open"]
    assert freezer.condition == StateCondition(("on",))
    assert freezer.repeat.repeat == (30.0,)
    assert (freezer.repeat.skip_first, freezer.policy.can_acknowledge) == (True, False)
    assert freezer.notifiers == ("ravi_phone",)
    assert freezer.data == {"push": {"sound": "alarm.caf"}}
    assert freezer.severity is Severity.WARNING


def test_fieldhub_keys_and_severity_defaults(config_dir: Path) -> None:
    section = load(
        config_dir,
        """
        alert:
          defaults:
            notifiers:
              critical: [pager, email]
          boiler:
            entity_id: sensor.boiler
            limits: {hh: 95, h: 90}
            deadband: {h: 2}
            delay_on: "00:00:05"
            delay_off: {seconds: 30}
            severity: critical
            latched: true
            realarm_after: "00:30:00"
            max_shelve: "04:00:00"
            chatter: {auto_shelve: 600}
            repeat: [1, 5]
          shift_line:
            value_template: "{{ is_state('sensor.line', 'down') }}"
            suppress_when: "{{ is_state('sensor.shift', 'off') }}"
            repeat: 10
        """,
    )
    boiler = section.alerts["boiler"]
    assert isinstance(boiler.condition, ThresholdCondition)
    assert (boiler.delay_on, boiler.delay_off) == (5.0, 30.0)
    assert boiler.policy.max_shelve == 4 * 3600
    assert boiler.policy.realarm_after == 1800
    assert boiler.chatter is not None and boiler.chatter.auto_shelve_for == 600
    assert section.notifiers_for(boiler) == ("pager", "email")
    assert "defaults" not in section.alerts
    line = section.alerts["shift_line"]
    assert isinstance(line.condition, BooleanCondition)
    assert section.notifiers_for(line) == ()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "    entity_id: sensor.x\n    above: 5\n    state: 'on'\n",
            "configuration.yaml:4: alert → bad → above: give one condition",
        ),
        ("    above: 5\n", "configuration.yaml:3: alert → bad → above: 'above' needs an entity_id"),
        (
            "    entity_id: sensor.x\n    state: 'on'\n    deadband: 1\n",
            "configuration.yaml:5: alert → bad → deadband: deadband applies to",
        ),
        (
            "    entity_id: sensor.x\n    above: 5\n    chatter: {auto_shelve: '09:00:00'}\n",
            "configuration.yaml:5: alert → bad → chatter: auto_shelve (32400 s) must not exceed",
        ),
        (
            "    message: '{{ oops'\n",
            "configuration.yaml:3: alert → bad → message: invalid template",
        ),
        (
            "    entity_id: sensor.x\n    repeat: [5, 0.001]\n",
            "configuration.yaml:4: alert → bad → repeat → 1: expected a number of at least 0.016",
        ),
    ],
)
def test_errors_name_file_line_and_key(config_dir: Path, body: str, expected: str) -> None:
    text = "alert:\n  bad:\n" + body
    if "repeat:" not in body:
        text += "    repeat: 5\n"
    found = errors(config_dir, text)
    assert any(expected in line for line in found), found


def test_reserved_ids_are_refused(config_dir: Path) -> None:
    found = errors(config_dir, "alert:\n  kpi:\n    repeat: 5\n")
    assert any("'kpi' is reserved" in line for line in found), found
    found = errors(config_dir, "alert:\n  defaults:\n    entity_id: sensor.x\n    repeat: 5\n")
    assert any("'defaults' holds section-wide settings" in line for line in found), found


def test_alert_ids_must_be_slugs(config_dir: Path) -> None:
    found = errors(config_dir, "alert:\n  Garage Door:\n    repeat: 5\n")
    assert any("try 'garage_door'" in line for line in found), found


def test_unknown_key_suggests_the_right_one(config_dir: Path) -> None:
    found = errors(config_dir, "alert:\n  door:\n    entiy_id: sensor.x\n    repeat: 5\n")
    assert found == [
        "config/configuration.yaml:3: alert → door: "
        "unknown key 'entiy_id' (did you mean 'entity_id'?)"
    ]
