"""Template rendering: helpers, result types, errors, limits and the sandbox."""

from __future__ import annotations

import pytest

from hub.automation.templates import (
    Template,
    TemplateError,
    TemplateLimits,
    check_syntax,
    parse_result,
    render_complex,
)
from hub.core.hub import Hub


@pytest.fixture
def render(hub: Hub):  # type: ignore[no-untyped-def]
    hub.states.set("sensor.temp", "21.5", {"unit_of_measurement": "°C", "friendly_name": "Temp"})
    hub.states.set("sensor.bad", "unavailable")
    hub.states.set("switch.pump", "on")
    hub.states.set("group.all_pumps", "on", {"entity_id": ["switch.pump", "switch.spare"]})
    hub.states.set("switch.spare", "off")

    def run(source: str, **variables: object) -> object:
        return Template(source, hub).render(variables)

    return run


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ states('sensor.temp') }}", 21.5),
        ("{{ states('sensor.missing') }}", "unknown"),
        ("{{ states.sensor.temp.state }}", 21.5),
        ("{{ states.sensor.temp.attributes.unit_of_measurement }}", "°C"),
        ("{{ states.sensor.temp.name }}", "Temp"),
        ("{{ is_state('switch.pump', 'on') }}", True),
        ("{{ is_state('switch.pump', ['off', 'on']) }}", True),
        ("{{ state_attr('sensor.temp', 'unit_of_measurement') }}", "°C"),
        ("{{ is_state_attr('sensor.temp', 'friendly_name', 'Temp') }}", True),
        ("{{ has_value('sensor.temp') }}", True),
        ("{{ has_value('sensor.bad') }}", False),
        ("{{ states('sensor.temp') | float + 1 }}", 22.5),
        ("{{ 'x' | float(0) }}", 0),
        ("{{ float('3.5') }}", 3.5),
        ("{{ '7' | int }}", 7),
        ("{{ int('x', 4) }}", 4),
        ("{{ min(3, 1, 2) }}", 1),
        ("{{ [3, 9, 2] | max }}", 9),
        ("{{ average(1, 2, 3) }}", 2.0),
        ("{{ [] | average(default=0) }}", 0),
        ("{{ iif(is_state('switch.pump', 'on'), 'running', 'idle') }}", "running"),
        ("{{ iif(none, 'a', 'b', 'n') }}", "n"),
        (
            "{{ expand('group.all_pumps') | map(attribute='entity_id') | list }}",
            ["switch.pump", "switch.spare"],
        ),
        (
            "{{ states.switch | map(attribute='entity_id') | list }}",
            ["switch.pump", "switch.spare"],
        ),
        ("{{ now().year }}", 2026),
        ("{{ utcnow().isoformat() }}", "2026-01-01T00:00:00+00:00"),
        ("{{ as_timestamp('2026-01-01T00:01:00+00:00') }}", 1767225660.0),
        ("{{ as_datetime('2026-01-01T00:00:00+00:00').day }}", 1),
        ("{{ relative_time(as_datetime('2025-12-31T22:00:00+00:00')) }}", "2 hours"),
        ("{{ value_json.level }}", 4),
        ("{{ trigger.to_state }}", "on"),
        ("{{ [1, 2] }}", [1, 2]),
        ("{{ '0123' }}", "0123"),
        ("{{ 'true' }}", "true"),
        ("{{ 1 < 2 }}", True),
        ("plain text", "plain text"),
    ],
)
def test_render(render, source: str, expected: object) -> None:  # type: ignore[no-untyped-def]
    assert render(source, value_json={"level": 4}, trigger={"to_state": "on"}) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'abc' | float }}", "no default"),
        ("{{ int('x') }}", "no default"),
        ("{{ as_timestamp('soon') }}", "no default"),
        ("{{ ''.__class__.__mro__ }}", "not allowed"),
        ("{{ states.__init__.__globals__ }}", "not allowed"),
        ("{{ [1].append(2) }}", "not allowed"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ],
)
def test_render_errors_are_template_errors(render, source: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TemplateError, match=message):
        render(source)


def test_limits_stop_runaway_templates(hub: Hub) -> None:
    loops = "{% for i in range(5000) %}{% for j in range(5000) %}{% endfor %}{% endfor %}"
    with pytest.raises(TemplateError, match="operations"):
        Template(loops, hub).render()
    with pytest.raises(TemplateError, match="limit is"):
        Template("{{ range(10000000) | list }}", hub).render()
    with pytest.raises(TemplateError, match="would build"):
        Template("{{ 'x' * 100000000 }}", hub).render()
    with pytest.raises(TemplateError, match="format width"):
        Template("{{ '%999999999s' % 1 }}", hub).render()
    small = TemplateLimits(max_output=10)
    with pytest.raises(TemplateError, match="output exceeds"):
        Template("{% for i in range(20) %}ab{% endfor %}", hub, limits=small).render()


def test_syntax_errors_are_reported_with_line(hub: Hub) -> None:
    with pytest.raises(TemplateError, match=r"line 2"):
        check_syntax("ok\n{{ states('x') ")
    with pytest.raises(TemplateError, match="invalid template"):
        Template("{% if %}", hub).ensure_valid()


def test_parse_result_rules() -> None:
    assert parse_result(" 42 ") == 42
    assert parse_result("4.5") == 4.5
    assert parse_result("True") is True
    assert parse_result("{'a': 1}") == {"a": 1}
    assert parse_result("+5") == 5
    assert parse_result("007") == "007"
    assert parse_result("1e3") == 1000.0
    assert parse_result("hello world") == "hello world"
    assert parse_result("'quoted'") == "'quoted'"


def test_render_complex_renders_nested_templates(hub: Hub) -> None:
    hub.states.set("sensor.level", "80")
    data = {
        "message": "Level is {{ states('sensor.level') }}%",
        "values": ["{{ 1 + 1 }}", "static 5"],
        "nested": {"level": "{{ states('sensor.level') | int }}", "n": 3},
    }
    assert render_complex(data, hub, {}) == {
        "message": "Level is 80%",
        "values": [2, "static 5"],
        "nested": {"level": 80, "n": 3},
    }


def test_render_with_value_for_mqtt(hub: Hub) -> None:
    template = Template("{{ value_json.temp | round(1) }}", hub)
    assert template.render_with_value('{"temp": 21.456}') == 21.5
    assert Template("{{ value | upper }}", hub).render_with_value("on") == "ON"
    assert Template("{{ value_json is defined }}", hub).render_with_value("not json") is False
