"""``platform: time`` and ``platform: time_pattern`` on the manual clock (UTC hub)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import Setup, Tick

from hub.automation.triggers.time_pattern import next_match, patterns
from hub.core.services import ServiceCall

ACTION = """
  action:
    - service: test.record
      data:
        at: "{{ trigger.now.strftime('%H:%M:%S') }}"
"""


async def test_time_of_day_fires_daily(setup: Setup, tick: Tick, calls: list[ServiceCall]) -> None:
    await setup("- trigger:\n    platform: time\n    at: '00:00:30'\n" + ACTION)
    await tick(29)
    assert calls == []
    await tick(1)
    assert [call.data["at"] for call in calls] == ["00:00:30"]
    tick.clock.advance(86_400 - 1)
    await tick(1)
    assert len(calls) == 2


async def test_time_weekday_filter(setup: Setup, tick: Tick, calls: list[ServiceCall]) -> None:
    # 2026-01-01 is a Thursday.
    await setup("- trigger:\n    platform: time\n    at: '00:00:10'\n    weekday: [fri]\n" + ACTION)
    await tick(20)
    assert calls == []
    tick.clock.advance(86_400 - 20)
    await tick(10)
    assert len(calls) == 1


async def test_time_from_input_datetime_and_timestamp_sensor(
    setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    tick.set_state("input_datetime.wake", "00:00:05", {"has_time": True, "has_date": False})
    tick.set_state("sensor.next_alarm", "2026-01-01T00:00:20+00:00", {"device_class": "timestamp"})
    await setup(
        "- trigger:\n    platform: time\n    at: [input_datetime.wake, sensor.next_alarm]\n"
        + ACTION
    )
    tick.set_state("input_datetime.wake", "00:00:08", {"has_time": True, "has_date": False})
    await tick(25)
    assert [call.data["at"] for call in calls] == ["00:00:08", "00:00:20"]


@pytest.mark.parametrize(
    ("config", "start", "expected"),
    [
        ({"minutes": "/5"}, "00:03:10", "00:05:00"),
        ({"seconds": "/15"}, "00:00:16", "00:00:30"),
        ({"hours": "/2"}, "01:00:00", "02:00:00"),
        ({"hours": "3", "minutes": "*"}, "02:59:59", "03:00:00"),
        ({"minutes": "30", "seconds": "*"}, "00:30:59", "01:30:00"),
    ],
)
def test_next_match(config: dict[str, str], start: str, expected: str) -> None:
    hours, minutes, seconds = patterns(config)
    at = dt.datetime.fromisoformat(f"2026-01-01T{start}+00:00")
    assert next_match(at, hours, minutes, seconds).strftime("%H:%M:%S") == expected


async def test_time_pattern_fires_repeatedly(
    setup: Setup, tick: Tick, calls: list[ServiceCall]
) -> None:
    await setup("- trigger:\n    platform: time_pattern\n    seconds: '/20'\n" + ACTION)
    await tick(61)
    assert [call.data["at"] for call in calls] == ["00:00:20", "00:00:40", "00:01:00"]
