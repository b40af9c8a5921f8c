"""Re-rendering a template only when something it read changes.

Each render records the entities and domains it read; the tracker listens for exactly
those (through the shared :class:`StateIndex`) and re-renders on their change. A template
that reads the time (``now()``) is also re-rendered at the start of every minute.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from hub.automation.templates import RenderInfo, Template, TemplateError
from hub.automation.tracking import state_index
from hub.core.bus import Event
from hub.core.clock import Cancel

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)

ResultCallback = Callable[[Any, Event | None], None]


def result_as_boolean(value: Any) -> bool:
    """Home Assistant's truthiness of a template result: true/on/yes/enable or non-zero."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "on", "yes", "enable"):
            return True
        try:
            return float(text) != 0
        except ValueError:
            return False
    return False


class TemplateTracker:
    """Render ``template`` now and whenever what it read changes; report each result."""

    def __init__(
        self,
        hub: Hub,
        template: Template,
        variables: Mapping[str, Any],
        on_result: ResultCallback,
    ) -> None:
        self._hub = hub
        self._template = template
        self._variables = variables
        self._on_result = on_result
        self._unsubs: list[Callable[[], None]] = []
        self._timer: Cancel | None = None
        self._info = RenderInfo()
        self._stopped = False

    def start(self) -> Any:
        """Render once, start listening, and return the first result (None on error)."""
        return self._render(None, report=False)

    def stop(self) -> None:
        """Stop listening."""
        self._stopped = True
        self._unsubscribe()
        if self._timer is not None:
            self._timer()
            self._timer = None

    def _render(self, event: Event | None, *, report: bool = True) -> Any:
        try:
            result, info = self._template.render_with_info(self._variables)
        except TemplateError as err:
            _LOGGER.warning("Template %r failed: %s", self._template.source, err)
            result, info = None, self._info
        if info != self._info or not self._unsubs:
            self._listen(info)
        self._schedule_minute(info)
        if report:
            self._on_result(result, event)
        return result

    def _listen(self, info: RenderInfo) -> None:
        self._unsubscribe()
        self._info = info
        index = state_index(self._hub)
        if info.all_states:
            self._unsubs.append(index.track_all(self._changed))
            return
        if info.entities:
            self._unsubs.append(index.track_entities(sorted(info.entities), self._changed))
        if info.domains:
            self._unsubs.append(index.track_domains(sorted(info.domains), self._changed))
        if not self._unsubs:
            self._unsubs.append(lambda: None)

    def _unsubscribe(self) -> None:
        for unsub in self._unsubs:
            unsub()
        self._unsubs = []

    def _schedule_minute(self, info: RenderInfo) -> None:
        if self._timer is not None:
            self._timer()
            self._timer = None
        if not info.uses_time or self._stopped:
            return
        now = self._hub.clock.time()
        self._timer = self._hub.clock.call_at(math.floor(now / 60 + 1) * 60, self._tick)

    def _tick(self) -> None:
        self._timer = None
        if not self._stopped:
            self._render(None)

    def _changed(self, event: Event) -> None:
        if not self._stopped:
            self._render(event)
