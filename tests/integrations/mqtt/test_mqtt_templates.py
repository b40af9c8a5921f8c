"""Value templates: the direct path agrees with Jinja, and the sandbox holds."""

from __future__ import annotations

import pytest

from integrations.mqtt.models import ReceivedMessage
from integrations.mqtt.templates import TemplateError, ValueTemplate

PAYLOAD = (
    b'{"t": 21.5, "n": {"x": 3}, "b": true, "s": "hi", "none": null, "items": 5,'
    b' "big": 123456789012345678901, "tiny": 1e-7, "neg": -0.0, "list": [1, 2]}'
)


@pytest.mark.parametrize(
    "source",
    [
        "{{ value_json.t }}",
        "{{value_json['n']['x']}}",
        '{{ value_json["n"].x }}',
        "{{ value_json.b }}",
        "{{ value_json.s }}",
        "{{ value_json.none }}",
        "{{ value_json.missing }}",
        "{{ value_json.n }}",
        "{{ value_json.big }}",
        "{{ value_json.tiny }}",
        "{{ value_json.neg }}",
        "{{ value_json.list }}",
        "{{ value_json.s.x }}",
    ],
)
def test_direct_path_renders_like_jinja(source: str) -> None:
    template = ValueTemplate(source)
    message = ReceivedMessage("t", PAYLOAD, 0, False, 0.0)
    assert template.render(message) == template.render_with(
        {"value": message.text, "value_json": message.json}
    )


def test_value_and_non_json_payloads() -> None:
    message = ReceivedMessage("t", b"on", 0, False, 0.0)
    assert ValueTemplate("{{ value | upper }}").render(message) == "ON"
    with pytest.raises(TemplateError):  # value_json is undefined for a non-JSON payload
        ValueTemplate("{{ value_json.x }}").render(message)


def test_sandbox_refuses_unsafe_access() -> None:
    message = ReceivedMessage("t", b"{}", 0, False, 0.0)
    with pytest.raises(TemplateError):
        ValueTemplate("{{ value.__class__.__mro__[1].__subclasses__() }}").render(message)
    with pytest.raises(TemplateError):
        ValueTemplate("{{ value_json.update({'a': 1}) }}").render(message)


def test_invalid_template_is_reported() -> None:
    with pytest.raises(TemplateError):
        ValueTemplate("{{ value_json.t ")
