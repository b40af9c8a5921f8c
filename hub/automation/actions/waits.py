"""``wait_template`` and ``wait_for_trigger``: wait on the hub's clock, with a timeout.

Both set the ``wait`` variable: ``completed`` (bool), ``remaining`` (seconds left of the
timeout, or None) and, for ``wait_for_trigger``, ``trigger`` (the trigger variables).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hub.automation.platforms import Platforms, TriggerFire
from hub.automation.template_tracker import TemplateTracker, result_as_boolean
from hub.automation.templates import Template
from hub.automation.timing import wait_with_timeout
from hub.core.bus import Event
from hub.core.context import Context

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)


def _outcome(
    hub: Hub, started: float, timeout: float | None, completed: bool, trigger: Any = None
) -> dict[str, Any]:
    remaining = None if timeout is None else max(0.0, timeout - (hub.clock.time() - started))
    return {"completed": completed, "remaining": remaining, "trigger": trigger}


async def wait_template(
    hub: Hub, template: Template, variables: Mapping[str, Any], seconds: float | None
) -> dict[str, Any]:
    """Wait until ``template`` renders true (at once if it already does), at most ``seconds``."""
    started = hub.clock.time()
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_result(result: Any, _event: Event | None) -> None:
        if result_as_boolean(result) and not done.done():
            done.set_result(None)

    tracker = TemplateTracker(hub, template, variables, on_result)
    try:
        if result_as_boolean(tracker.start()):
            return _outcome(hub, started, seconds, True)
        completed, _ = await wait_with_timeout(hub.clock, done, seconds)
    finally:
        tracker.stop()
    return _outcome(hub, started, seconds, completed)


async def wait_for_trigger(
    hub: Hub,
    platforms: Platforms,
    triggers: list[dict[str, Any]],
    variables: Mapping[str, Any],
    seconds: float | None,
) -> dict[str, Any]:
    """Attach ``triggers`` and wait at most ``seconds`` for the first to fire."""
    started = hub.clock.time()
    fired: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
    detach = []
    for index, trigger in enumerate(triggers):
        if not trigger.get("enabled", True):
            continue

        def on_fire(
            data: Mapping[str, Any],
            _context: Context | None,
            index: int = index,
            trigger: dict[str, Any] = trigger,
        ) -> None:
            if not fired.done():
                fired.set_result(
                    {
                        **data,
                        "platform": trigger["platform"],
                        "id": trigger.get("id") or str(index),
                        "idx": str(index),
                        "alias": trigger.get("alias"),
                    }
                )

        platform = platforms.triggers[trigger["platform"]]
        try:
            detach.append(platform.attach(hub, trigger["options"], TriggerFire(on_fire, variables)))
        except Exception:  # a trigger that fails to attach cannot fire; the others still can
            _LOGGER.exception("wait_for_trigger: %s trigger failed to attach", trigger["platform"])
    try:
        completed, result = await wait_with_timeout(hub.clock, fired, seconds)
    finally:
        for stop in detach:
            stop()
    return _outcome(hub, started, seconds, completed, result)
