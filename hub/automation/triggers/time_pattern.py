"""``platform: time_pattern``: fires when the local time matches hours/minutes/seconds.

Each of ``hours``, ``minutes`` and ``seconds`` is a number, ``'*'`` (every) or ``'/N'``
(every N-th, from 0). Smaller units left out default to 0 when a larger unit is given,
so ``hours: '/2'`` fires at the start of every second hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.platforms import TriggerFire, TriggerPlatform, Unsubscribe
from hub.automation.templates.environment import hub_time_zone
from hub.automation.validators import has_at_least_one, strict
from hub.config import cv
from hub.core.clock import Cancel

if TYPE_CHECKING:
    from hub.core.hub import Hub


def _pattern(limit: int) -> Any:
    def validate(value: Any) -> str:
        text = str(value).strip() if not isinstance(value, bool) else ""
        if text == "*":
            return text
        step = text.removeprefix("/")
        try:
            number = int(step)
        except ValueError:
            number = -1
        if 0 <= number < limit and not (text.startswith("/") and number == 0):
            return text
        raise vol.Invalid(
            f"expected a number from 0 to {limit - 1}, '*' or '/N', got {cv.describe(value)}"
        )

    return validate


SCHEMA = strict(
    {
        vol.Optional("hours"): _pattern(24),
        vol.Optional("minutes"): _pattern(60),
        vol.Optional("seconds"): _pattern(60),
    },
    has_at_least_one("hours", "minutes", "seconds"),
)


def _matching(pattern: str | None, limit: int) -> frozenset[int]:
    if pattern is None or pattern == "*":
        return frozenset(range(limit))
    if pattern.startswith("/"):
        return frozenset(range(0, limit, int(pattern[1:])))
    return frozenset({int(pattern)})


def patterns(config: Mapping[str, Any]) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """The matching hours, minutes and seconds, with smaller units defaulting to 0."""
    hours, minutes, seconds = config.get("hours"), config.get("minutes"), config.get("seconds")
    if minutes is None and hours is not None:
        minutes = "0"
    if seconds is None and minutes is not None:
        seconds = "0"
    return _matching(hours, 24), _matching(minutes, 60), _matching(seconds, 60)


def next_match(
    after: dt.datetime,
    hours: frozenset[int],
    minutes: frozenset[int],
    seconds: frozenset[int],
) -> dt.datetime:
    """The first whole second after ``after`` (local, aware) matching the sets."""
    moment = after.replace(microsecond=0) + dt.timedelta(seconds=1)
    while True:
        if moment.hour not in hours:
            moment = moment.replace(minute=0, second=0) + dt.timedelta(hours=1)
        elif moment.minute not in minutes:
            moment = moment.replace(second=0) + dt.timedelta(minutes=1)
        elif moment.second not in seconds:
            moment += dt.timedelta(seconds=1)
        else:
            return moment


def attach(hub: Hub, config: Mapping[str, Any], fire: TriggerFire) -> Unsubscribe:
    """Schedule the next matching second, again after each firing."""
    hours, minutes, seconds = patterns(config)
    tz = hub_time_zone(hub)
    cancel: Cancel | None = None

    def arm() -> None:
        nonlocal cancel
        moment = next_match(hub.clock.now().astimezone(tz), hours, minutes, seconds)
        cancel = hub.clock.call_at(moment.timestamp(), due)

    def due() -> None:
        fire(
            {
                "platform": "time_pattern",
                "now": hub.clock.now().astimezone(tz),
                "description": "time pattern",
            }
        )
        arm()

    arm()

    def detach() -> None:
        if cancel is not None:
            cancel()

    return detach


PLATFORM = TriggerPlatform("time_pattern", SCHEMA, attach)
