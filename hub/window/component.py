"""Feeding the telemetry window from the bus, evicting old points, and its REST views."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.config import cv
from hub.core.bus import Event
from hub.core.events import EVENT_STATE_CHANGED
from hub.core.keys import HubKey
from hub.recorder.recorder import RECORDER
from hub.window.numeric import to_float
from hub.window.restore import restore_window
from hub.window.store import TelemetryWindow

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)

WINDOW: HubKey[TelemetryWindow] = HubKey("telemetry_window")
EVICT_EVERY = 60.0

CONFIG_SCHEMA = vol.Schema(
    vol.All(
        cv.empty_mapping,
        {
            vol.Optional("span", default=dt.timedelta(hours=24)): cv.positive_time_period,
            vol.Optional("exclude", default=list): vol.All(cv.ensure_list, [cv.string]),
        },
    )
)


def _excluded(entity_id: str, patterns: list[str]) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(entity_id, pattern) for pattern in patterns)


async def async_setup(hub: Hub, config: dict[str, Any]) -> None:
    """Start the window: every numeric state change is added as it happens."""
    window = TelemetryWindow(config["span"])
    hub.data[WINDOW] = window
    patterns: list[str] = config["exclude"]
    skipped: set[str] = set()

    def on_state(event: Event) -> None:
        entity_id: str = event.data["entity_id"]
        new_state = event.data["new_state"]
        if new_state is None:
            window.remove(entity_id)
            return
        if entity_id in skipped:
            return
        if patterns and _excluded(entity_id, patterns):
            skipped.add(entity_id)
            return
        value = to_float(new_state.state)
        if value is not None:
            window.add(entity_id, new_state.last_updated.timestamp(), value)

    unsub = hub.bus.listen(EVENT_STATE_CHANGED, on_state)
    recorder = hub.data.get(RECORDER)
    if recorder is not None:
        hub.create_task(restore_window(window, recorder, hub.clock.time()), name="window-restore")
    cancel_timer = [hub.clock.call_later(EVICT_EVERY, lambda: _evict())]

    def _evict() -> None:
        released = window.evict(hub.clock.time())
        if released:
            _LOGGER.debug("Telemetry window released %d points", released)
        cancel_timer[0] = hub.clock.call_later(EVICT_EVERY, _evict)

    async def stop() -> None:
        unsub()
        cancel_timer[0]()

    hub.on_stop(stop)
