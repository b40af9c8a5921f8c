"""``platform: time``: fires at a time of day, or at the time an entity holds.

``at`` takes ``'HH:MM'``/``'HH:MM:SS'`` (in the hub's time zone), or the entity id of an
``input_datetime`` (its time every day, or its date and time once) or of a sensor whose
state is an ISO 8601 timestamp. ``weekday`` limits firing to some days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.platforms import TriggerFire, TriggerPlatform, Unsubscribe
from hub.automation.templates.environment import hub_time_zone
from hub.automation.templates.helpers import parse_datetime
from hub.automation.tracking import state_index
from hub.automation.validators import strict
from hub.config import cv
from hub.core.bus import Event
from hub.core.clock import Cancel
from hub.core.state import State

if TYPE_CHECKING:
    from hub.core.hub import Hub

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def time_or_entity(value: Any) -> dt.time | str:
    """A time of day or the entity id that holds one."""
    try:
        return cv.time(value)
    except vol.Invalid:
        pass
    try:
        return cv.entity_id(value)
    except vol.Invalid:
        raise vol.Invalid(
            "expected a time such as '07:30:00' or an entity id such as "
            f"input_datetime.wake_up, got {cv.describe(value)}"
        ) from None


def weekdays(value: Any) -> list[str]:
    """``mon``…``sun``, one or a list."""
    days = [str(day).lower() for day in cv.ensure_list(value)]
    for day in days:
        if day not in WEEKDAYS:
            raise vol.Invalid(f"expected weekdays from {', '.join(WEEKDAYS)}, got '{day}'")
    return days


SCHEMA = strict(
    {
        vol.Required("at"): vol.All(cv.ensure_list, [time_or_entity]),
        vol.Optional("weekday"): weekdays,
    }
)


def next_daily(now: dt.datetime, at: dt.time, tz: dt.tzinfo, days: list[str] | None) -> dt.datetime:
    """The first moment after ``now`` whose local time of day is ``at`` (on ``days``)."""
    local = now.astimezone(tz)
    for offset in range(8):
        date = local.date() + dt.timedelta(days=offset)
        candidate = dt.datetime.combine(date, at, tzinfo=tz)
        if candidate <= local:
            continue
        if days is not None and WEEKDAYS[candidate.weekday()] not in days:
            continue
        return candidate
    raise ValueError("no matching weekday")  # unreachable: every weekday occurs within 8 days


def entity_moment(
    state: State | None, now: dt.datetime, tz: dt.tzinfo, days: list[str] | None
) -> dt.datetime | None:
    """When an entity's time next occurs: a daily time, or a one-off date and time."""
    if state is None:
        return None
    attrs = state.attributes
    if state.domain == "input_datetime" and attrs.get("has_time") and not attrs.get("has_date"):
        try:
            return next_daily(now, cv.time(state.state), tz, days)
        except vol.Invalid:
            return None
    moment = parse_datetime(state.state)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    if moment <= now:
        return None
    if days is not None and WEEKDAYS[moment.astimezone(tz).weekday()] not in days:
        return None
    return moment


class _Schedule:
    """One timer for one ``at`` entry, re-armed after each firing or entity change."""

    def __init__(
        self,
        hub: Hub,
        at: dt.time | str,
        days: list[str] | None,
        fire: Callable[[dict[str, Any]], None],
    ) -> None:
        self._hub = hub
        self._at = at
        self._days = days
        self._fire = fire
        self._tz = hub_time_zone(hub)
        self._cancel: Cancel | None = None

    def arm(self, _event: Event | None = None) -> None:
        self.disarm()
        now = self._hub.clock.now()
        if isinstance(self._at, dt.time):
            moment: dt.datetime | None = next_daily(now, self._at, self._tz, self._days)
        else:
            moment = entity_moment(self._hub.states.get(self._at), now, self._tz, self._days)
        if moment is not None:
            self._cancel = self._hub.clock.call_at(moment.timestamp(), self._due)

    def disarm(self) -> None:
        if self._cancel is not None:
            self._cancel()
            self._cancel = None

    def _due(self) -> None:
        self._cancel = None
        entity_id = None if isinstance(self._at, dt.time) else self._at
        now = self._hub.clock.now().astimezone(self._tz)
        self._fire(
            {
                "platform": "time",
                "now": now,
                "entity_id": entity_id,
                "description": f"time {entity_id or self._at.isoformat()}",  # type: ignore[union-attr]
            }
        )
        self.arm()


def attach(hub: Hub, config: Mapping[str, Any], fire: TriggerFire) -> Unsubscribe:
    """Schedule every ``at`` entry; follow entities that hold times."""
    days = config.get("weekday")
    schedules = [_Schedule(hub, at, days, fire) for at in config["at"]]
    unsubs: list[Callable[[], None]] = []
    for schedule, at in zip(schedules, config["at"], strict=True):
        schedule.arm()
        if isinstance(at, str):
            unsubs.append(state_index(hub).track_entities([at], schedule.arm))

    def detach() -> None:
        for unsub in unsubs:
            unsub()
        for schedule in schedules:
            schedule.disarm()

    return detach


PLATFORM = TriggerPlatform("time", SCHEMA, attach)
