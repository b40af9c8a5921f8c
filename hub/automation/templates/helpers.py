"""Functions and filters templates use: conversions with defaults, time, maths, ``iif``.

Conversions follow Home Assistant: a value that cannot be converted is an error unless a
default is given (``'abc' | float`` fails, ``'abc' | float(0)`` is ``0.0``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
from collections.abc import Callable, Iterable
from typing import Any

from hub.automation.templates.errors import TemplateError
from hub.automation.templates.render_info import current_info


class _Missing:
    """Marks an argument that was not given (``None`` is a valid default)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


def _no_default(name: str, value: Any) -> TemplateError:
    return TemplateError(
        f"{name} got invalid input {value!r} and no default was given; "
        f"write {name}(default) to choose a value"
    )


def to_float(value: Any, default: Any = MISSING) -> Any:
    """``float(value)``, or ``default``; without a default a bad value is an error."""
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        if default is MISSING:
            raise _no_default("float", value) from None
        return default


def to_int(value: Any, default: Any = MISSING, base: int = 10) -> Any:
    """``int(value)`` (text in ``base``, numbers truncated), or ``default``."""
    try:
        if isinstance(value, str):
            text = value.strip()
            try:
                return int(text, base)
            except ValueError:
                return int(float(text))
        return int(value)
    except (TypeError, ValueError, OverflowError):
        if default is MISSING:
            raise _no_default("int", value) from None
        return default


def to_bool(value: Any, default: Any = MISSING) -> Any:
    """true/false, on/off, yes/no, 1/0 to a boolean, or ``default``."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "on", "yes", "1", "enable"):
        return True
    if text in ("false", "off", "no", "0", "disable", "none"):
        return False
    if default is MISSING:
        raise _no_default("bool", value)
    return default


def is_number(value: Any) -> bool:
    """True if ``value`` converts to a finite number."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError, OverflowError):
        return False


def _values(args: tuple[Any, ...]) -> list[Any]:
    if len(args) == 1 and isinstance(args[0], Iterable) and not isinstance(args[0], str):
        return list(args[0])
    return list(args)


def minimum(*args: Any) -> Any:
    """``min(1, 2)`` or ``[1, 2] | min``."""
    values = _values(args)
    if not values:
        raise TemplateError("min needs at least one value")
    return min(values)


def maximum(*args: Any) -> Any:
    """``max(1, 2)`` or ``[1, 2] | max``."""
    values = _values(args)
    if not values:
        raise TemplateError("max needs at least one value")
    return max(values)


def average(*args: Any, default: Any = MISSING) -> Any:
    """The mean of numbers given as arguments or one list; ``default`` if there are none."""
    values = _values(args)
    try:
        return statistics.fmean(float(value) for value in values)
    except (TypeError, ValueError, statistics.StatisticsError):
        if default is MISSING:
            raise _no_default("average", values) from None
        return default


def iif(value: Any, if_true: Any = True, if_false: Any = False, if_none: Any = MISSING) -> Any:
    """Immediate if: ``if_true`` when ``value`` is truthy, ``if_false`` otherwise.

    ``if_none`` (defaulting to ``if_false``) is returned when ``value`` is None.
    """
    if value is None and if_none is not MISSING:
        return if_none
    if isinstance(value, str):
        try:
            value = to_bool(value)
        except TemplateError:
            value = bool(value)
    return if_true if value else if_false


def parse_datetime(value: Any) -> dt.datetime | None:
    """A datetime from a datetime, an epoch number or ISO 8601 text; None if not one."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                return dt.datetime.fromtimestamp(float(text), dt.UTC)
            except (ValueError, OverflowError, OSError):
                return None
    return None


def as_datetime(value: Any, default: Any = MISSING) -> Any:
    """A datetime from ISO text or an epoch number, or ``default``."""
    parsed = parse_datetime(value)
    if parsed is None:
        if default is MISSING:
            raise _no_default("as_datetime", value)
        return default
    return parsed


def as_timestamp(value: Any, default: Any = MISSING) -> Any:
    """Epoch seconds of a datetime or ISO text, or ``default``."""
    parsed = parse_datetime(value)
    if parsed is None:
        if default is MISSING:
            raise _no_default("as_timestamp", value)
        return default
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
    ("second", 1),
)


def humanize_age(seconds: float) -> str:
    """``3725`` → ``'1 hour'``: the largest whole unit of an age."""
    for unit, size in _UNITS:
        amount = int(seconds // size)
        if amount >= 1:
            return f"{amount} {unit}{'s' if amount != 1 else ''}"
    return "0 seconds"


def make_time_functions(
    now_utc: Callable[[], dt.datetime], time_zone: dt.tzinfo
) -> dict[str, Callable[..., Any]]:
    """``now``, ``utcnow`` and ``relative_time`` bound to the hub's clock and time zone."""

    def _mark() -> None:
        info = current_info()
        if info is not None:
            info.uses_time = True

    def now() -> dt.datetime:
        _mark()
        return now_utc().astimezone(time_zone)

    def utcnow() -> dt.datetime:
        _mark()
        return now_utc()

    def relative_time(value: Any) -> Any:
        parsed = parse_datetime(value)
        if parsed is None:
            return value
        _mark()
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=time_zone)
        age = (now_utc() - parsed).total_seconds()
        return value if age < 0 else humanize_age(age)

    return {"now": now, "utcnow": utcnow, "relative_time": relative_time}


def from_json(value: Any, default: Any = MISSING) -> Any:
    """Parse JSON text, or return ``default``."""
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        if default is MISSING:
            raise _no_default("from_json", value) from None
        return default


def to_json(value: Any) -> str:
    """Serialise ``value`` as JSON (datetimes as ISO text)."""
    return json.dumps(value, default=str)
