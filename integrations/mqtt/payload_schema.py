"""Payload schemas: a topic filter declares the shape of its JSON messages.

A schema is either a JSON Schema document (a file, relative to the configuration directory)
or an inline mapping ``field: type`` / ``field: {type, min, max, required}``. Checking never
raises: :meth:`PayloadSchema.problem` returns a description of what is wrong, or None.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from .models import ReceivedMessage

_TYPES: dict[str, tuple[type, ...]] = {
    "float": (int, float),
    "number": (int, float),
    "int": (int,),
    "str": (str,),
    "bool": (bool,),
    "object": (dict,),
    "list": (list,),
}


@dataclass(frozen=True, slots=True)
class FieldRule:
    """One inline field: its type, optional range, and whether it must be present."""

    name: str
    types: tuple[type, ...]
    type_name: str
    minimum: float | None
    maximum: float | None
    required: bool

    def problem(self, data: Mapping[str, Any]) -> str | None:
        """What is wrong with this field in ``data``, or None."""
        if self.name not in data:
            return f"missing field {self.name!r}" if self.required else None
        value: Any = data[self.name]
        bad_bool = isinstance(value, bool) and bool not in self.types
        if bad_bool or not isinstance(value, self.types):
            return f"{self.name!r} should be {self.type_name}, got {type(value).__name__}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if self.minimum is not None and value < self.minimum:
            return f"{self.name!r} = {value} is below {self.minimum:g}"
        if self.maximum is not None and value > self.maximum:
            return f"{self.name!r} = {value} is above {self.maximum:g}"
        return None


class PayloadSchema:
    """A compiled schema for the JSON payloads of one topic filter."""

    def __init__(
        self,
        topic_filter: str,
        *,
        rules: tuple[FieldRule, ...] = (),
        validator: jsonschema.protocols.Validator | None = None,
    ) -> None:
        self.topic_filter = topic_filter
        self._rules = rules
        self._validator = validator

    @classmethod
    def inline(cls, topic_filter: str, fields: Mapping[str, Mapping[str, Any]]) -> PayloadSchema:
        """Build from a validated inline mapping (``schema.FIELD_SCHEMA`` per field)."""
        rules = tuple(
            FieldRule(
                name=name,
                types=_TYPES[spec["type"]],
                type_name=spec["type"],
                minimum=spec.get("min"),
                maximum=spec.get("max"),
                required=spec["required"],
            )
            for name, spec in fields.items()
        )
        return cls(topic_filter, rules=rules)

    @classmethod
    def from_json_schema(cls, topic_filter: str, document: Mapping[str, Any]) -> PayloadSchema:
        """Build from a JSON Schema document (its ``$schema`` picks the draft)."""
        validator_cls = jsonschema.validators.validator_for(document)
        validator_cls.check_schema(document)
        return cls(topic_filter, validator=validator_cls(document))

    def problem(self, message: ReceivedMessage) -> str | None:
        """What is wrong with ``message``, or None if it conforms."""
        try:
            data = message.json
        except ValueError as err:
            return f"not JSON: {err}"
        if self._validator is not None:
            error = jsonschema.exceptions.best_match(self._validator.iter_errors(data))
            if error is not None:
                where = "/".join(str(p) for p in error.absolute_path) or "payload"
                return f"{where}: {error.message}"
            return None
        if not isinstance(data, dict):
            return f"expected a JSON object, got {type(data).__name__}"
        for rule in self._rules:
            found = rule.problem(data)
            if found is not None:
                return found
        return None


def load_schema(
    topic_filter: str, spec: str | Mapping[str, Any], config_dir: Path
) -> PayloadSchema:
    """Compile one ``schemas:`` item; a string names a JSON Schema file (blocking read)."""
    if isinstance(spec, str):
        path = Path(spec)
        if not path.is_absolute():
            path = config_dir / path
        document = json.loads(path.read_text(encoding="utf-8"))
        return PayloadSchema.from_json_schema(topic_filter, document)
    return PayloadSchema.inline(topic_filter, spec)
