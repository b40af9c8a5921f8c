"""Ingest payloads: the accepted shapes, and per-reading validation against a machine.

Shapes (all JSON):

* ours: ``{"machine": "<site>/<area>/<machine>"?, "readings": [<item>, ...]}``;
* one item: ``{"ts": ..., "seq": ..., "values": {...}}`` (ThingsBoard's ``{"ts", "values"}``);
* an array of items (ThingsBoard's offline-buffer flush);
* flat key/values ``{"temperature": 61.5, "run_state": "running"}`` (ThingsBoard; hub time).

``ts`` is milliseconds since the epoch (a number) or an ISO 8601 string (no zone: UTC);
missing, the hub's time is used. ``seq`` is an optional non-negative integer that, when
given, is the reading's idempotency key instead of its timestamp.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .const import (
    FIELD_REASON,
    FIELD_REJECTS,
    FIELD_REJECTS_INCREMENT,
    FIELD_RUN_STATE,
    FIELD_TOTAL,
    FIELD_TOTAL_INCREMENT,
)
from .registry import Machine
from .states import RUN_STATE_CODES, state_class


class PayloadError(ValueError):
    """The body as a whole has no accepted shape."""


@dataclass(frozen=True, slots=True)
class FieldError:
    """Why one field (or the whole reading, ``field`` None) was refused."""

    field: str | None
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass(slots=True)
class Reading:
    """One validated reading: its time (epoch seconds) and what it carries."""

    index: int
    ts: float
    seq: int | None = None
    sensors: dict[str, float] = field(default_factory=dict)
    state_code: int | None = None
    total: int | None = None
    rejects: int | None = None
    total_increment: int | None = None
    rejects_increment: int | None = None

    @property
    def key(self) -> tuple[str, float | int]:
        """The idempotency key: the sequence number when given, else the timestamp."""
        return ("seq", self.seq) if self.seq is not None else ("ts", self.ts)


@dataclass(frozen=True, slots=True)
class RawItem:
    """One reading as received, before validation."""

    index: int
    ts: Any
    seq: Any
    values: Any


def split_body(body: Any) -> tuple[str | None, list[RawItem]]:
    """The machine named in the body (if any) and its items; :class:`PayloadError` otherwise."""
    machine: str | None = None
    if isinstance(body, list):
        items = body
    elif isinstance(body, dict) and "readings" in body:
        items = body["readings"]
        named = body.get("machine")
        if named is not None and not isinstance(named, str):
            raise PayloadError('"machine" must be a string "<site>/<area>/<machine>"')
        machine = named
        if not isinstance(items, list):
            raise PayloadError('"readings" must be an array')
    elif isinstance(body, dict) and isinstance(body.get("values"), dict):
        items = [body]
    elif isinstance(body, dict):
        items = [{"values": body}]
    else:
        raise PayloadError("expected a JSON object or array of readings")
    raw = []
    for index, item in enumerate(items):
        if isinstance(item, dict) and "values" in item:
            raw.append(RawItem(index, item.get("ts"), item.get("seq"), item["values"]))
        else:
            raw.append(RawItem(index, None, None, item))
    return machine, raw


def parse_ts(value: Any, now: float) -> float:
    """Epoch seconds from milliseconds or ISO 8601; ``now`` for None. ValueError if bad."""
    if value is None:
        return now
    if isinstance(value, bool):
        raise ValueError("ts must be milliseconds since the epoch or an ISO 8601 string")
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            raise ValueError("ts must be a finite, non-negative number of milliseconds")
        return float(value) / 1000.0
    if isinstance(value, str):
        stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        return stamp.timestamp()
    raise ValueError("ts must be milliseconds since the epoch or an ISO 8601 string")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _count(value: Any, limit: int, name: str, errors: list[FieldError]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        errors.append(FieldError(name, "invalid_type", f"{name} must be a whole number"))
        return None
    count = int(value)
    if count < 0 or count >= limit:
        errors.append(FieldError(name, "out_of_range", f"{name} must be in 0..{limit - 1}"))
        return None
    return count


def _run_state(values: Mapping[str, Any], errors: list[FieldError]) -> int | None:
    state = values.get(FIELD_RUN_STATE)
    reason = values.get(FIELD_REASON)
    code: int | None = None
    if reason is not None:
        if isinstance(reason, bool) or not isinstance(reason, int) or reason < 0:
            errors.append(
                FieldError(FIELD_REASON, "invalid_type", "reason must be a state code >= 0")
            )
            return None
        code = reason
    if state is None:
        return code
    if isinstance(state, int) and not isinstance(state, bool) and state >= 0:
        return code if code is not None else state
    if isinstance(state, str) and state.strip().lower() in RUN_STATE_CODES:
        word = state.strip().lower()
        if code is not None and word == "running" and state_class(code) >= 30_000:
            errors.append(
                FieldError(FIELD_REASON, "inconsistent", "a running machine has no stop reason")
            )
            return None
        return code if code is not None else RUN_STATE_CODES[word]
    errors.append(
        FieldError(
            FIELD_RUN_STATE,
            "invalid_value",
            f"run_state must be one of {sorted(RUN_STATE_CODES)} or a numeric state code",
        )
    )
    return None


def validate(item: RawItem, machine: Machine, now: float) -> Reading | list[FieldError]:
    """A :class:`Reading` for ``item``, or every reason it is refused."""
    errors: list[FieldError] = []
    try:
        ts = parse_ts(item.ts, now)
    except ValueError as err:
        return [FieldError("ts", "invalid_ts", str(err))]
    seq = item.seq
    if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int) or seq < 0):
        return [FieldError("seq", "invalid_type", "seq must be a non-negative integer")]
    values = item.values
    if not isinstance(values, dict) or not values:
        return [FieldError("values", "invalid_type", "values must be a non-empty object")]
    reading = Reading(item.index, ts, seq)
    limit = 1 << int(machine.counter_width)
    for name, value in values.items():
        spec = machine.sensor_by_name.get(name)
        if spec is not None:
            number = _number(value)
            if number is None:
                errors.append(FieldError(name, "invalid_type", f"{name} must be a finite number"))
            elif not spec.valid(number):
                low, high = spec.valid_range
                errors.append(
                    FieldError(name, "out_of_range", f"{name}={number} is outside [{low}, {high}]")
                )
            else:
                reading.sensors[name] = number
        elif name == FIELD_TOTAL:
            reading.total = _count(value, limit, name, errors)
        elif name == FIELD_REJECTS:
            reading.rejects = _count(value, limit, name, errors)
        elif name == FIELD_TOTAL_INCREMENT:
            reading.total_increment = _count(value, 1 << 31, name, errors)
        elif name == FIELD_REJECTS_INCREMENT:
            reading.rejects_increment = _count(value, 1 << 31, name, errors)
        elif name not in (FIELD_RUN_STATE, FIELD_REASON):
            errors.append(FieldError(name, "unknown_field", f"{machine.id} has no field {name!r}"))
    reading.state_code = _run_state(values, errors)
    return errors or reading
