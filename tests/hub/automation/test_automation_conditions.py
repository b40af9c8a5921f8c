"""Conditions in every form, checked through ``automation.trigger`` with conditions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
import voluptuous as vol
from conftest import Setup, Tick

from hub.automation.engine import AutomationEngine
from hub.core.hub import Hub
from hub.core.services import ServiceCall
from hub.plugins.markers import hookimpl
from hub.testing.plugin import RegisterPlugin


async def passes(engine: AutomationEngine, tick: Tick, trigger_id: str = "0") -> bool:
    automation = next(iter(engine))
    trace = automation.trigger({"platform": "event", "id": trigger_id})
    await tick()
    return trace.script_execution != "failed_conditions"


def with_condition(condition: str) -> str:
    return (
        "- trigger: {platform: event, event_type: never}\n"
        f"  condition:\n{condition}\n"
        "  action: {service: test.record}\n"
    )


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("    - condition: state\n      entity_id: switch.a\n      state: 'on'", True),
        ("    - condition: state\n      entity_id: switch.a\n      state: [off, dim]", False),
        ("    - condition: state\n      entity_id: [switch.a, switch.b]\n      state: 'on'", False),
        (
            "    - condition: state\n      entity_id: [switch.a, switch.b]\n      state: 'on'\n"
            "      match: any",
            True,
        ),
        ("    - condition: state\n      entity_id: switch.a\n      state: on", True),
        (
            "    - condition: state\n      entity_id: sensor.t\n      attribute: unit\n"
            "      state: C",
            True,
        ),
        ("    - condition: numeric_state\n      entity_id: sensor.t\n      above: '20'", True),
        (
            "    - condition: numeric_state\n      entity_id: sensor.t\n      above: 20\n"
            "      below: 20.5",
            False,
        ),
        (
            "    - condition: numeric_state\n      entity_id: sensor.t\n"
            '      value_template: "{{ state.state | float * 2 }}"\n      above: 40',
            True,
        ),
        (
            "    - condition: template\n      value_template: \"{{ is_state('switch.a', 'on') }}\"",
            True,
        ),
        ("    - \"{{ states('sensor.t') | float < 0 }}\"", False),
        ('    - or:\n        - "{{ false }}"\n        - "{{ true }}"', True),
        ('    - and:\n        - "{{ true }}"\n        - "{{ false }}"', False),
        (
            "    - not:\n        - condition: state\n          entity_id: switch.b\n"
            "          state: 'on'",
            True,
        ),
        (
            "    - condition: or\n      conditions:\n        - condition: state\n"
            "          entity_id: switch.b\n          state: 'on'\n        - \"{{ true }}\"",
            True,
        ),
        ("    - condition: \"{{ is_state('switch.b', 'off') }}\"", True),
        ("    - condition: time\n      after: '08:00'\n      before: '17:00'", False),
        ("    - condition: time\n      after: '22:00'\n      before: '06:00'", True),
        ("    - condition: time\n      weekday: [thu]", True),
        ("    - condition: time\n      after: input_datetime.start", True),
        ("    - condition: time\n      before: sensor.deadline", True),
        (
            "    - condition: state\n      entity_id: switch.a\n      state: 'off'\n"
            "      enabled: false",
            True,
        ),
        ("    - \"{{ states('sensor.t') | float }} > 0\"", False),
    ],
)
async def test_condition(setup: Setup, tick: Tick, condition: str, expected: bool) -> None:
    # 2026-01-01 00:00 UTC, a Thursday.
    tick.set_state("switch.a", "on")
    tick.set_state("switch.b", "off")
    tick.set_state("sensor.t", "20.5", {"unit": "C"})
    tick.set_state("input_datetime.start", "00:00:00", {"has_time": True, "has_date": False})
    tick.set_state("sensor.deadline", "2026-01-01T01:00:00+00:00")
    engine = await setup(with_condition(condition))
    assert await passes(engine, tick) is expected


async def test_state_condition_for(setup: Setup, tick: Tick) -> None:
    tick.set_state("switch.a", "on")
    engine = await setup(
        with_condition(
            "    - condition: state\n      entity_id: switch.a\n      state: 'on'\n"
            "      for: '00:01:00'"
        )
    )
    assert not await passes(engine, tick)
    await tick(60)
    assert await passes(engine, tick)


async def test_trigger_condition(setup: Setup, tick: Tick) -> None:
    engine = await setup(with_condition("    - condition: trigger\n      id: [morning, noon]"))
    assert await passes(engine, tick, "noon")
    assert not await passes(engine, tick, "night")


class ThresholdConditions:
    """A plugin adding ``condition: is_even``."""

    @hookimpl
    def fieldhub_register_conditions(self, register: Callable[..., None]) -> None:
        def build(hub: Hub, config: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], bool]:
            def check(_variables: Mapping[str, Any]) -> bool:
                state = hub.states.get(config["entity_id"])
                return state is not None and int(state.state) % 2 == 0

            return check

        register("is_even", vol.Schema({vol.Required("entity_id"): str}), build)


async def test_plugin_condition(
    register_plugin: RegisterPlugin, setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    register_plugin(ThresholdConditions(), {"domain": "even", "name": "Even", "version": "1"})
    tick.set_state("counter.n", "3")
    engine = await setup(with_condition("    - condition: is_even\n      entity_id: counter.n"))
    assert not await passes(engine, tick)
    tick.set_state("counter.n", "4")
    assert await passes(engine, tick)


async def test_condition_errors_are_false_and_traced(setup: Setup, tick: Tick) -> None:
    engine = await setup(with_condition("    - \"{{ states('sensor.none') | float > 1 }}\""))
    automation = next(iter(engine))
    trace = automation.trigger({"platform": "event"})
    assert trace.script_execution == "failed_conditions"
    step = trace.find("condition/0")[0]
    assert step.result == {"result": False} and "no default" in (step.error or "")
