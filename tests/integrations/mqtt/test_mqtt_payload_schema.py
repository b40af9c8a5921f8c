"""Payload schemas: inline field rules and JSON Schema documents."""

from __future__ import annotations

from typing import Any

import pytest

from integrations.mqtt.models import ReceivedMessage
from integrations.mqtt.payload_schema import PayloadSchema
from integrations.mqtt.schema import PAYLOAD_SCHEMA_ITEM

INLINE = PAYLOAD_SCHEMA_ITEM(
    {
        "topic": "t/#",
        "schema": {
            "level": {"type": "float", "min": 0, "max": 100},
            "ok": "bool",
            "note": {"type": "str", "required": False},
        },
    }
)


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        (b'{"level": 50, "ok": true}', None),
        (b'{"level": 50.5, "ok": false, "note": "x"}', None),
        (b'{"level": -1, "ok": true}', "'level' = -1 is below 0"),
        (b'{"level": 101, "ok": true}', "'level' = 101 is above 100"),
        (b'{"level": true, "ok": true}', "'level' should be float, got bool"),
        (b'{"ok": true}', "missing field 'level'"),
        (b"[1]", "expected a JSON object, got list"),
    ],
)
def test_inline_rules(payload: bytes, problem: str | None) -> None:
    schema = PayloadSchema.inline("t/#", INLINE["schema"])
    assert schema.problem(ReceivedMessage("t/1", payload, 0, False, 0.0)) == problem


def test_not_json() -> None:
    schema = PayloadSchema.inline("t/#", INLINE["schema"])
    found = schema.problem(ReceivedMessage("t/1", b"{oops", 0, False, 0.0))
    assert found is not None and found.startswith("not JSON")


def test_json_schema_document() -> None:
    document: dict[str, Any] = {
        "type": "object",
        "required": ["temp"],
        "properties": {"temp": {"type": "number", "maximum": 85}},
    }
    schema = PayloadSchema.from_json_schema("room/+", document)
    assert schema.problem(ReceivedMessage("room/1", b'{"temp": 20}', 0, False, 0.0)) is None
    found = schema.problem(ReceivedMessage("room/1", b'{"temp": 90}', 0, False, 0.0))
    assert found == "temp: 90 is greater than the maximum of 85"
