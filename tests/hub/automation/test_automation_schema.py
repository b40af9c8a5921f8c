"""The automation section's schema: both syntax generations, paste-in forms, file:line errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import parse_automations

from hub.automation.config_schema import AutomationConfig
from hub.config.errors import ConfigError
from hub.core.hub import Hub


def errors(hub: Hub, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_automations(hub, text)
    return ConfigError(info.value.issues, base=hub.config_dir).format()


def test_old_and_new_syntax_give_the_same_config(hub: Hub) -> None:
    old = """
- id: a
  trigger:
    - platform: state
      entity_id: sensor.x
      to: "on"
  condition:
    - condition: state
      entity_id: switch.y
      state: "off"
  action:
    - service: switch.turn_on
      entity_id: switch.y
"""
    new = """
- id: a
  triggers:
    - trigger: state
      entity_id: sensor.x
      to: "on"
  conditions:
    - condition: state
      entity_id: switch.y
      state: "off"
  actions:
    - action: switch.turn_on
      target:
        entity_id: switch.y
"""
    first: AutomationConfig = parse_automations(hub, old)[0]
    second: AutomationConfig = parse_automations(hub, new)[0]
    assert first.triggers == second.triggers
    assert first.conditions == second.conditions
    assert first.actions == second.actions
    assert first.actions[0]["target"] == {"entity_id": ["switch.y"]}


def test_mixed_generation_paste_in(hub: Hub) -> None:
    configs = parse_automations(
        hub,
        """
- alias: Mixed
  description: written over the years
  mode: queued
  max: 3
  initial_state: false
  trace:
    stored_traces: 2
  trigger:
    platform: numeric_state
    entity_id: sensor.temp
    above: '68'
    for: '00:05'
  condition: "{{ is_state('switch.fan', 'off') }}"
  action:
    service: fan.turn_on
    data_template:
      speed: "{{ 'high' }}"
- alias: Minutes
  trigger:
    - platform: state
      entity_id: sensor.a
      for:
        minutes: 2
    - platform: state
      entity_id: sensor.b
      for: 30
  condition:
    or:
      - "{{ true }}"
      - condition: template
        value_template: "{{ false }}"
  action:
    - delay: 5
""",
    )
    mixed, minutes = configs
    assert mixed.mode == "queued" and mixed.max_runs == 3 and mixed.initial_state is False
    assert mixed.stored_traces == 2
    trigger = mixed.triggers[0]["options"]
    assert trigger["above"] == 68.0 and trigger["for"] == timedelta(minutes=5)
    assert mixed.conditions[0]["condition"] == "template"
    assert mixed.actions[0]["data_template"] == {"speed": "{{ 'high' }}"}
    assert minutes.triggers[0]["options"]["for"] == timedelta(minutes=2)
    assert minutes.triggers[1]["options"]["for"] == timedelta(seconds=30)
    assert minutes.conditions[0]["condition"] == "or"
    assert [c["condition"] for c in minutes.conditions[0]["conditions"]] == ["template"] * 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- trigger:\n    - platform: stat\n      entity_id: sensor.a\n  action: []\n",
            "automations.yaml:2: automation → 0 → trigger → 0 → platform: "
            "unknown trigger platform 'stat' (did you mean 'state'?)",
        ),
        (
            "- triggers:\n    - trigger: state\n      entity_id: sensor.a\n      too: 'on'\n"
            "  actions: []\n",
            "automations.yaml:4: automation → 0 → triggers → 0 → too: "
            "unknown key 'too' (did you mean 'to'?)",
        ),
        (
            "- trigger: []\n  action:\n    - service: test.record\n      data:\n"
            "        x: \"{{ states('a') \"\n",
            "automations.yaml:5: automation → 0 → action → 0 → data → x: invalid template",
        ),
        (
            "- trigger:\n    - platform: numeric_state\n      entity_id: sensor.a\n"
            "      above: lots\n  action: []\n",
            "automations.yaml:4: automation → 0 → trigger → 0 → above: expected a number",
        ),
        (
            "- trigger: []\n  action:\n    - service: not a service\n",
            "automations.yaml:3: automation → 0 → action → 0 → service: expected a service",
        ),
        (
            "- trigger: []\n  action:\n    - frobnicate: 1\n",
            "automations.yaml:3: automation → 0 → action → 0: unknown action",
        ),
        (
            "- alias: x\n  action: []\n",
            "automations.yaml:1: automation → 0: required key 'triggers' is missing",
        ),
        (
            "- use_blueprint:\n    path: motion_light.yaml\n",
            "automations.yaml:2: automation → 0 → use_blueprint: blueprints are not supported",
        ),
        (
            "- trigger: []\n  mode: sometimes\n  action: []\n",
            "automations.yaml:2: automation → 0 → mode: expected one of single, restart",
        ),
        (
            "- id: same\n  trigger: []\n  action: []\n- id: same\n  trigger: []\n  action: []\n",
            "automations.yaml:4: automation → 1 → id: duplicate automation id 'same'",
        ),
        (
            "- trigger: []\n  condition:\n    - condition: stat\n  action: []\n",
            "automations.yaml:3: automation → 0 → condition → 0 → condition: "
            "unknown condition 'stat' (did you mean 'state'?)",
        ),
        (
            "- trigger: []\n  action:\n    - delay: soon\n",
            "automations.yaml:3: automation → 0 → action → 0 → delay: expected a time period",
        ),
    ],
)
def test_errors_point_at_file_and_line(hub: Hub, text: str, expected: str) -> None:
    found = errors(hub, text)
    assert any(line.startswith(expected) for line in found), found


def test_empty_section_is_no_automations(hub: Hub) -> None:
    assert parse_automations(hub, "") == []
    assert parse_automations(hub, "{}") == []


def test_every_action_kind_validates(hub: Hub) -> None:
    config = parse_automations(
        hub,
        """
- trigger: {platform: event, event_type: go}
  action:
    - action: test.record
      response_variable: answer
    - delay: {seconds: "{{ 2 }}"}
    - wait_template: "{{ true }}"
      timeout: 5
      continue_on_timeout: false
    - wait_for_trigger: {platform: event, event_type: more}
    - choose:
        - conditions: "{{ true }}"
          sequence: {event: chosen}
      default: []
    - if: "{{ true }}"
      then: {event: then}
      else: {event: else}
    - repeat: {count: "{{ 2 }}", sequence: []}
    - repeat: {for_each: [1, 2], sequence: []}
    - repeat: {while: "{{ false }}", sequence: []}
    - repeat: {until: "{{ true }}", sequence: []}
    - variables: {a: 1}
    - event: fired
      event_data: {a: "{{ a }}"}
    - parallel:
        - event: one
        - - event: two
          - event: three
    - sequence: [{event: four}]
    - condition: "{{ true }}"
    - condition: state
      entity_id: switch.a
      state: "on"
      continue_on_error: true
    - stop: done
      error: false
""",
    )[0]
    kinds = [action["kind"] for action in config.actions]
    assert kinds == [
        "service",
        "delay",
        "wait_template",
        "wait_for_trigger",
        "choose",
        "if",
        "repeat",
        "repeat",
        "repeat",
        "repeat",
        "variables",
        "event",
        "parallel",
        "sequence",
        "condition",
        "condition",
        "stop",
    ]
    assert config.actions[12]["parallel"][1][1]["event"] == "three"
