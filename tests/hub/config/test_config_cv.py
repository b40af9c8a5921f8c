"""The shared config validators: accepted forms and the messages for the rest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

import pytest
import voluptuous as vol

from hub.config import cv

VALID: list[tuple[Callable[[Any], Any], Any, Any]] = [
    (cv.boolean, True, True),
    (cv.boolean, "on", True),
    (cv.boolean, "Yes", True),
    (cv.boolean, "false", False),
    (cv.boolean, "off", False),
    (cv.boolean, 0, False),
    (cv.boolean, "1", True),
    (cv.string, "north", "north"),
    (cv.string, 12, "12"),
    (cv.string, 2.5, "2.5"),
    (cv.number, "21.5", 21.5),
    (cv.number, -3, -3.0),
    (cv.number, " 1e3 ", 1000.0),
    (cv.integer, "5", 5),
    (cv.integer, 2.0, 2),
    (cv.positive_int, 0, 0),
    (cv.positive_float, "0.5", 0.5),
    (cv.port, "8123", 8123),
    (cv.in_range(0, 100), 100, 100.0),
    (cv.int_in_range(high=10), -4, -4),
    (cv.one_of("metric", "imperial"), "imperial", "imperial"),
    (cv.slug, "north_site_2", "north_site_2"),
    (cv.entity_id, "sensor.tank_level", "sensor.tank_level"),
    (cv.entity_id, "Sensor.Tank_Level", "sensor.tank_level"),
    (cv.entity_ids, "sensor.a, switch.pump_1", ["sensor.a", "switch.pump_1"]),
    (cv.entity_ids, ["sensor.a"], ["sensor.a"]),
    (cv.entity_ids, "sensor.a", ["sensor.a"]),
    (cv.empty_mapping, None, {}),
    (cv.empty_mapping, {"a": 1}, {"a": 1}),
    (cv.ensure_list, None, []),
    (cv.ensure_list, "a", ["a"]),
    (cv.ensure_list, ["a", "b"], ["a", "b"]),
    (cv.time_period, "00:05", timedelta(minutes=5)),
    (cv.time_period, "01:02:03", timedelta(hours=1, minutes=2, seconds=3)),
    (cv.time_period, "00:00:01.5", timedelta(seconds=1.5)),
    (cv.time_period, "-00:10", timedelta(minutes=-10)),
    (cv.time_period, 90, timedelta(seconds=90)),
    (cv.time_period, 0.25, timedelta(milliseconds=250)),
    (cv.time_period, "30", timedelta(seconds=30)),
    (cv.time_period, {"minutes": 5, "seconds": 3}, timedelta(minutes=5, seconds=3)),
    (cv.time_period, {"days": 1, "milliseconds": 10}, timedelta(days=1, milliseconds=10)),
    (cv.time_period, timedelta(hours=2), timedelta(hours=2)),
    (cv.positive_time_period, "00:00", timedelta(0)),
    (cv.time, "07:30", time(7, 30)),
    (cv.time, "23:59:59", time(23, 59, 59)),
    (cv.url, "https://hub.example.com:8123/api", "https://hub.example.com:8123/api"),
    (cv.url, "http://10.0.0.5", "http://10.0.0.5"),
    (cv.email, "ops@example.com", "ops@example.com"),
    (cv.time_zone, "Europe/Berlin", "Europe/Berlin"),
    (cv.time_zone, "UTC", "UTC"),
]

INVALID: list[tuple[Callable[[Any], Any], Any, str]] = [
    (cv.boolean, "maybe", "expected true or false, got 'maybe'"),
    (cv.boolean, 2, "expected true or false, got 2"),
    (
        cv.string,
        True,
        "expected text, got true (YAML reads on/off/yes/no as true/false); "
        "wrap the value in quotes",
    ),
    (cv.string, None, "expected text, got an empty value"),
    (cv.string, ["a"], "expected text, got a list"),
    (cv.number, "tall", "expected a number, got 'tall'"),
    (cv.number, True, "expected a number, got true"),
    (cv.number, {"a": 1}, "expected a number, got a mapping"),
    (cv.number, "nan", "expected a finite number, got 'nan'"),
    (cv.integer, 2.5, "expected a whole number, got 2.5"),
    (cv.integer, "five", "expected a whole number, got 'five'"),
    (cv.positive_int, -1, "expected a whole number of at least 0, got -1"),
    (cv.positive_float, "-0.5", "expected a number of at least 0, got '-0.5'"),
    (cv.port, 0, "expected a port number between 1 and 65535, got 0"),
    (cv.in_range(0, 100), 150, "expected a number between 0 and 100, got 150"),
    (cv.in_range(high=3.5), 4, "expected a number of at most 3.5, got 4"),
    (
        cv.one_of("metric", "imperial"),
        "metrc",
        "expected one of metric, imperial, got 'metrc' (did you mean 'metric'?)",
    ),
    (
        cv.slug,
        "North Site",
        "expected a slug (lowercase letters, digits and underscores), got 'North Site'; "
        "try 'north_site'",
    ),
    (
        cv.entity_id,
        "tank level",
        "expected an entity id such as sensor.tank_level (lowercase letters, digits and "
        "underscores around one dot), got 'tank level'",
    ),
    (
        cv.entity_ids,
        "sensor.a, sensor..b",
        "expected an entity id such as sensor.tank_level (lowercase letters, digits and "
        "underscores around one dot), got 'sensor..b'",
    ),
    (
        cv.time_period,
        "soon",
        "expected a time period such as '00:05:00', 300 (seconds) or {minutes: 5}, got 'soon'",
    ),
    (
        cv.time_period,
        True,
        "expected a time period such as '00:05:00', 300 (seconds) or {minutes: 5}, got true",
    ),
    (cv.time_period, {"minuts": 5}, "unknown time period key 'minuts' (did you mean 'minutes'?)"),
    (cv.time_period, {"minutes": "five"}, "expected a number of minutes, got 'five'"),
    (
        cv.positive_time_period,
        "-00:05",
        "expected a time period of zero or more, got '-00:05'",
    ),
    (cv.time, "25:00", "expected a time of day such as '07:30' or '18:45:00', got '25:00'"),
    (cv.time, 630, "expected a time of day such as '07:30' or '18:45:00', got 630"),
    (
        cv.url,
        "hub.example.com",
        "expected a URL starting with http:// or https:// and a host, got 'hub.example.com'",
    ),
    (
        cv.url,
        "ftp://files.example.com",
        "expected a URL starting with http:// or https:// and a host, "
        "got 'ftp://files.example.com'",
    ),
    (
        cv.email,
        "ops.example.com",
        "expected an e-mail address such as ops@example.com, got 'ops.example.com'",
    ),
    (
        cv.time_zone,
        "Europe/Berln",
        "unknown time zone 'Europe/Berln' (did you mean 'Europe/Berlin'?)",
    ),
    (cv.time_zone, "utc", "unknown time zone 'utc' (did you mean 'UTC'?)"),
]


def _id(case: tuple[Callable[[Any], Any], Any, Any]) -> str:
    return f"{getattr(case[0], '__name__', 'validator')}-{case[1]!r}"


@pytest.mark.parametrize(("validator", "value", "expected"), VALID, ids=map(_id, VALID))
def test_accepts(validator: Callable[[Any], Any], value: Any, expected: Any) -> None:
    result = validator(value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(("validator", "value", "message"), INVALID, ids=map(_id, INVALID))
def test_refuses_with_a_message(validator: Callable[[Any], Any], value: Any, message: str) -> None:
    with pytest.raises(vol.Invalid) as info:
        validator(value)
    assert str(info.value) == message


def test_validators_work_inside_schemas() -> None:
    schema = vol.Schema({vol.Required("every"): cv.positive_time_period, "on": cv.boolean})
    assert schema({"every": "00:01", "on": "yes"}) == {"every": timedelta(minutes=1), "on": True}


def test_slugify() -> None:
    assert cv.slugify("  Tank #1 (North) ") == "tank_1_north"
