"""Reusable config validators for the core and every integration.

Each validator is a pure function of its input: it returns the normalized value or
raises :class:`voluptuous.Invalid` with a message that says what to write instead.
"""

from __future__ import annotations

import difflib
import math
import re
import zoneinfo
from collections.abc import Callable, Mapping
from datetime import time as dt_time
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

import voluptuous as vol

_Number = TypeVar("_Number", int, float)

_TRUE = frozenset({"true", "on", "yes", "1", "enable", "enabled"})
_FALSE = frozenset({"false", "off", "no", "0", "disable", "disabled"})
_ENTITY_ID = re.compile(r"^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$")
_SLUG_CHARS = re.compile(r"[^a-z0-9_]+")
_CLOCK = re.compile(r"^([+-])?(\d+):(\d+)(?::(\d+(?:\.\d+)?))?$")
_TIME_OF_DAY = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PERIOD_KEYS = ("days", "hours", "minutes", "seconds", "milliseconds")
_QUOTE_HINT = "(YAML reads on/off/yes/no as true/false); wrap the value in quotes"


def describe(value: Any) -> str:
    """How a value reads in an error message: ``'tall'``, ``12``, ``true``, ``a list``."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return repr(str(value))
    return str(value)


def boolean(value: Any) -> bool:
    """true/false, on/off, yes/no, enable/disable, 1/0 (as text too)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise vol.Invalid(f"expected true or false, got {describe(value)}")


def string(value: Any) -> str:
    """Text; numbers are turned into text, true/false are refused (quote them)."""
    if isinstance(value, bool):
        raise vol.Invalid(f"expected text, got {describe(value)} {_QUOTE_HINT}")
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int | float):
        return str(value)
    raise vol.Invalid(f"expected text, got {describe(value)}")


def number(value: Any) -> float:
    """A finite number such as ``21.5``, ``-3`` or ``"1e3"``; used for unit-free quantities."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise vol.Invalid(f"expected a number, got {describe(value)}")
    try:
        result = float(value)
    except ValueError:
        raise vol.Invalid(f"expected a number, got {describe(value)}") from None
    if not math.isfinite(result):
        raise vol.Invalid(f"expected a finite number, got {describe(value)}")
    return result


def integer(value: Any) -> int:
    """A whole number such as ``5`` or ``"5"``; ``2.0`` is accepted, ``2.5`` is not."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise vol.Invalid(f"expected a whole number, got {describe(value)}")


def _bounds(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    if low is not None:
        return f"of at least {low:g}"
    return f"of at most {high:g}"


def _check_range(
    value: _Number, written: Any, low: float | None, high: float | None, kind: str
) -> _Number:
    if (low is not None and value < low) or (high is not None and value > high):
        raise vol.Invalid(f"expected {kind} {_bounds(low, high)}, got {describe(written)}")
    return value


def in_range(low: float | None = None, high: float | None = None) -> Callable[[Any], float]:
    """A number within ``[low, high]`` (either bound may be left open)."""

    def validate(value: Any) -> float:
        return _check_range(number(value), value, low, high, "a number")

    return validate


def int_in_range(low: int | None = None, high: int | None = None) -> Callable[[Any], int]:
    """A whole number within ``[low, high]`` (either bound may be left open)."""

    def validate(value: Any) -> int:
        return _check_range(integer(value), value, low, high, "a whole number")

    return validate


positive_int = int_in_range(0)
"""A whole number of zero or more (as in Home Assistant)."""

positive_float = in_range(0)
"""A number of zero or more (as in Home Assistant)."""


def port(value: Any) -> int:
    """A TCP/UDP port number, 1 to 65535."""
    return _check_range(integer(value), value, 1, 65535, "a port number")


def one_of(*options: str) -> Callable[[Any], str]:
    """One of the given words, with a suggestion for near misses."""

    def validate(value: Any) -> str:
        if isinstance(value, str) and value in options:
            return str(value)
        message = f"expected one of {', '.join(options)}, got {describe(value)}"
        close = difflib.get_close_matches(str(value), options, n=1) if value is not None else []
        raise vol.Invalid(message + (f" (did you mean '{close[0]}'?)" if close else ""))

    return validate


def slugify(text: str) -> str:
    """Lowercase ``text`` and join its words with underscores: ``"Tank 1"`` -> ``"tank_1"``."""
    return _SLUG_CHARS.sub("_", text.lower()).strip("_")


def slug(value: Any) -> str:
    """A slug: lowercase letters, digits and underscores, such as ``north_site``."""
    text = string(value)
    suggestion = slugify(text)
    if text and text == suggestion:
        return text
    hint = f"; try '{suggestion}'" if suggestion else ""
    raise vol.Invalid(
        f"expected a slug (lowercase letters, digits and underscores), got {describe(value)}{hint}"
    )


def entity_id(value: Any) -> str:
    """An entity id ``<domain>.<object_id>``; upper case is lowered."""
    text = string(value).strip().lower()
    if _ENTITY_ID.match(text):
        return text
    raise vol.Invalid(
        f"expected an entity id such as sensor.tank_level (lowercase letters, digits and "
        f"underscores around one dot), got {describe(value)}"
    )


def ensure_list(value: Any) -> list[Any]:
    """Wrap a single value in a list; ``None`` becomes an empty list."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def empty_mapping(value: Any) -> Any:
    """Read an empty section (``recorder:`` with nothing under it) as ``{}``."""
    return {} if value is None else value


def entity_ids(value: Any) -> list[str]:
    """A list of entity ids, written as a YAML list or as comma-separated text."""
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    return [entity_id(item) for item in ensure_list(value)]


def _period_error(value: Any) -> vol.Invalid:
    return vol.Invalid(
        "expected a time period such as '00:05:00', 300 (seconds) or "
        f"{{minutes: 5}}, got {describe(value)}"
    )


def _period_from_mapping(value: Mapping[Any, Any]) -> timedelta:
    unknown = [key for key in value if key not in _PERIOD_KEYS]
    if unknown:
        key = str(unknown[0])
        close = difflib.get_close_matches(key, _PERIOD_KEYS, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use {', '.join(_PERIOD_KEYS)}"
        raise vol.Invalid(f"unknown time period key '{key}' ({hint})")
    if not value:
        raise _period_error(value)
    parts: dict[str, float] = {}
    for key, amount in value.items():
        try:
            parts[str(key)] = number(amount)
        except vol.Invalid:
            raise vol.Invalid(f"expected a number of {key}, got {describe(amount)}") from None
    return timedelta(**parts)


def time_period(value: Any) -> timedelta:
    """A duration: ``"HH:MM"``, ``"HH:MM:SS"``, ``"HH:MM:SS.F"``, seconds, or a mapping.

    The mapping takes ``days``, ``hours``, ``minutes``, ``seconds`` and ``milliseconds``.
    """
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or value is None:
        raise _period_error(value)
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    if isinstance(value, Mapping):
        return _period_from_mapping(value)
    if isinstance(value, str):
        text = value.strip()
        match = _CLOCK.match(text)
        if match:
            sign, hours, minutes, seconds = match.groups()
            period = timedelta(hours=int(hours), minutes=int(minutes), seconds=float(seconds or 0))
            return -period if sign == "-" else period
        try:
            return timedelta(seconds=number(text))
        except vol.Invalid:
            pass
    raise _period_error(value)


def positive_time_period(value: Any) -> timedelta:
    """A duration of zero or more, in any form :func:`time_period` accepts."""
    period = time_period(value)
    if period < timedelta(0):
        raise vol.Invalid(f"expected a time period of zero or more, got {describe(value)}")
    return period


def time(value: Any) -> dt_time:
    """A time of day ``"HH:MM"`` or ``"HH:MM:SS"`` (24-hour clock)."""
    if isinstance(value, dt_time):
        return value
    if isinstance(value, str):
        match = _TIME_OF_DAY.match(value.strip())
        if match:
            hour, minute, second = (int(part or 0) for part in match.groups())
            if hour < 24 and minute < 60 and second < 60:
                return dt_time(hour, minute, second)
    raise vol.Invalid(
        f"expected a time of day such as '07:30' or '18:45:00', got {describe(value)}"
    )


def url(value: Any) -> str:
    """An ``http://`` or ``https://`` URL with a host."""
    text = string(value).strip()
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.hostname:
        return text
    raise vol.Invalid(
        f"expected a URL starting with http:// or https:// and a host, got {describe(value)}"
    )


def email(value: Any) -> str:
    """An e-mail address such as ``ops@example.com``."""
    text = string(value).strip()
    if _EMAIL.match(text):
        return text
    raise vol.Invalid(f"expected an e-mail address such as ops@example.com, got {describe(value)}")


def time_zone(value: Any) -> str:
    """An IANA time zone name such as ``Europe/Berlin`` or ``UTC``."""
    text = string(value).strip()
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        names = {name.lower(): name for name in zoneinfo.available_timezones()}
        close = difflib.get_close_matches(text.lower(), names, n=1)
        hint = (
            f" (did you mean '{names[close[0]]}'?)"
            if close
            else "; use a name like 'Europe/Berlin'"
        )
        raise vol.Invalid(f"unknown time zone {describe(value)}{hint}") from None
    return text
