"""Pieces every state-watching trigger shares: ``for:`` timers and period resolution."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.templates import Template, TemplateError
from hub.config import cv
from hub.core.clock import Cancel

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)


def resolve_period(hub: Hub, value: Any, variables: Mapping[str, Any]) -> timedelta:
    """A configured duration, rendering it first when it is a template.

    Raises :class:`TemplateError` when the template fails or gives no duration.
    """
    if isinstance(value, timedelta):
        return value
    rendered = Template(str(value), hub).render(variables)
    try:
        return cv.positive_time_period(rendered)
    except vol.Invalid as err:
        raise TemplateError(f"'for' template gave no duration: {err.msg}") from None


class PendingTimers:
    """At most one clock timer per key (an entity id); starting again replaces it."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._timers: dict[str, Cancel] = {}

    def __contains__(self, key: str) -> bool:
        return key in self._timers

    def start(self, key: str, seconds: float, callback: Callable[[], None]) -> None:
        """Call ``callback`` after ``seconds`` unless cancelled first."""
        self.cancel(key)

        def expire() -> None:
            self._timers.pop(key, None)
            callback()

        self._timers[key] = self._hub.clock.call_later(seconds, expire)

    def cancel(self, key: str) -> None:
        """Cancel the timer of ``key``, if any."""
        cancel = self._timers.pop(key, None)
        if cancel is not None:
            cancel()

    def cancel_all(self) -> None:
        """Cancel every timer."""
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()


def fire_after(
    hub: Hub,
    timers: PendingTimers,
    key: str,
    period: Any,
    variables: dict[str, Any],
    fire: Callable[[dict[str, Any]], None],
    render_variables: Mapping[str, Any],
) -> None:
    """Fire now without ``period``; else start ``key``'s timer, adding ``for`` on expiry."""
    if period is None:
        fire(variables)
        return
    try:
        duration = resolve_period(hub, period, {**render_variables, "trigger": variables})
    except TemplateError as err:
        _LOGGER.warning("Trigger for %s not armed: %s", key, err)
        return
    variables["for"] = duration
    if duration.total_seconds() <= 0:
        fire(variables)
        return
    timers.start(key, duration.total_seconds(), lambda: fire(variables))
