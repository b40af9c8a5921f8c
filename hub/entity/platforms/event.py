"""Events: something that happened on a device (a button press, a doorbell ring).

The state is the time of the last event; its type and data are attributes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from hub.core.state import STATE_UNKNOWN
from hub.entity.entity import Entity

ATTR_EVENT_TYPE = "event_type"
ATTR_EVENT_TYPES = "event_types"


class EventEntity(Entity):
    """An event entity. Set ``_attr_event_types``; call :meth:`trigger_event`."""

    platform: ClassVar[str] = "event"
    _attr_event_types: tuple[str, ...] = ()
    _last_event: tuple[dt.datetime, str, Mapping[str, Any]] | None = None

    @property
    def event_types(self) -> tuple[str, ...]:
        """The event types this entity can report."""
        return self._attr_event_types

    @property
    def state(self) -> str:
        """ISO time of the last event, or ``unknown``."""
        return STATE_UNKNOWN if self._last_event is None else self._last_event[0].isoformat()

    @property
    def platform_attributes(self) -> dict[str, Any]:
        """The event types, then the last event's type and data."""
        attrs: dict[str, Any] = {ATTR_EVENT_TYPES: list(self.event_types)}
        if self._last_event is not None:
            _, event_type, data = self._last_event
            attrs.update(data)
            attrs[ATTR_EVENT_TYPE] = event_type
        else:
            attrs[ATTR_EVENT_TYPE] = None
        return attrs

    def trigger_event(
        self,
        event_type: str,
        data: Mapping[str, Any] | None = None,
        *,
        when: dt.datetime | None = None,
    ) -> None:
        """Record an event (``event_type`` must be one of :attr:`event_types`)."""
        if event_type not in self.event_types:
            raise ValueError(
                f"{event_type!r} is not an event type of {self.entity_id}; expected one of "
                f"{', '.join(self.event_types)}"
            )
        self._last_event = (when or dt.datetime.now(dt.UTC), event_type, dict(data or {}))
