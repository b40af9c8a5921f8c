"""JSON helpers shared by the API, the recorder and the WebSocket server."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from pathlib import PurePath
from typing import Any

import orjson


def _default(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS


def dumps(value: Any) -> str:
    """Serialise ``value`` to a JSON string (datetimes as ISO 8601)."""
    return orjson.dumps(value, default=_default_with_dataclass, option=_OPTIONS).decode()


def dumps_bytes(value: Any) -> bytes:
    """Serialise ``value`` to JSON bytes."""
    return orjson.dumps(value, default=_default_with_dataclass, option=_OPTIONS)


def _default_with_dataclass(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return _default(value)


def _prepare(value: Any) -> Any:
    """Replace objects with ``as_dict`` (State, Context…) before orjson sees them.

    orjson writes tuples natively, so a ``State`` (a NamedTuple) would otherwise become an
    array instead of its documented object form.
    """
    if hasattr(value, "as_dict") and not isinstance(value, type):
        return value.as_dict()
    if isinstance(value, Mapping):
        return {key: _prepare(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_prepare(item) for item in value]
    return value


def loads(raw: str | bytes | bytearray | memoryview) -> Any:
    """Parse JSON text."""
    return orjson.loads(raw)


def to_jsonable(value: Any) -> Any:
    """Return a structure of plain JSON types equal to ``value`` (states as objects)."""
    return orjson.loads(dumps_bytes(_prepare(value)))
