"""Setting the integration up and tearing it down: one object holds what runs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

from hub.api import Event, Hub, HubKey

from .const import EVENT_RECEIPT_ACKNOWLEDGED, PERSISTENT_TARGET
from .notifier import Notifier
from .platforms.http_client import HTTP_SESSION
from .policy import DEFAULT_SCHEDULE, RetryPolicy
from .redact import LOGGER, RedactingFilter, Redactor, secret_values, tagged_secrets
from .registry import PlatformRegistry, resolve_options
from .routing import Router
from .schema import DEFAULT_DEDUP_WINDOW, DEFAULT_TIMEOUT, NotifyConfig, TargetConfig
from .services import register_services

RUNTIME: HubKey[NotifyRuntime] = HubKey("notify")


@dataclass(slots=True)
class NotifyRuntime:
    """Everything the set-up started."""

    notifier: Notifier
    router: Router
    session: aiohttp.ClientSession
    log_filter: logging.Filter
    unlisten: list[Callable[[], None]]

    async def stop(self) -> None:
        """Stop routing, sending and the HTTP session; detach the log filter."""
        for unsub in self.unlisten:
            unsub()
        self.router.stop()
        await self.notifier.stop()
        await self.session.close()
        LOGGER.removeFilter(self.log_filter)


def _persistent_target() -> TargetConfig:
    return TargetConfig(
        name=PERSISTENT_TARGET,
        platform="persistent",
        retry=RetryPolicy(tuple(DEFAULT_SCHEDULE[:3]), 0.0),
        rate_limit=None,
        dedup_window=DEFAULT_DEDUP_WINDOW,
        timeout=DEFAULT_TIMEOUT,
    )


async def async_setup(hub: Hub, config: NotifyConfig | None) -> NotifyRuntime:
    """Build targets from ``config``, start their workers, register the services."""
    config = config or NotifyConfig()
    registry = PlatformRegistry.collect(hub)
    targets = [resolve_options(target, registry) for target in config.targets]
    if PERSISTENT_TARGET not in {t.name for t in targets}:
        targets.append(_persistent_target())
    redactor = Redactor()
    for target in targets:
        redactor.add(secret_values(target.options) | tagged_secrets(target.source))
    log_filter = RedactingFilter(redactor)
    LOGGER.addFilter(log_filter)
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=DEFAULT_TIMEOUT))
    hub.data[HTTP_SESSION] = session
    notifier = Notifier(hub, redactor)
    try:
        for target in targets:
            spec = registry.get(target.platform)
            assert spec is not None  # resolve_options refused unknown platforms
            options = {**target.options, "timeout": target.timeout}
            notifier.add_target(replace(target, options=options), spec.factory(hub, options))
        await notifier.start(config.log_retention)
    except BaseException:
        await notifier.stop()
        await session.close()
        LOGGER.removeFilter(log_filter)
        raise
    tz = await hub.run_in_executor(ZoneInfo, hub.settings.time_zone)

    async def send(
        target: str, title: str, message: str, data: Mapping[str, Any], key: str
    ) -> None:
        await notifier.enqueue(target, message, title=title, data=data, key=key)

    router = Router(config.routes, hub.clock, tz, send, notifier.spawn)

    def on_receipt(event: Event) -> None:
        for alert_id in event.data.get("alert_ids", []):
            router.acknowledge(str(alert_id))

    unlisten = [hub.bus.listen(EVENT_RECEIPT_ACKNOWLEDGED, on_receipt)]
    register_services(hub, notifier, router)
    runtime = NotifyRuntime(notifier, router, session, log_filter, unlisten)
    hub.data[RUNTIME] = runtime
    LOGGER.info("Notify ready: %d target(s), %d route(s)", len(targets), len(config.routes))
    return runtime


async def async_unload(hub: Hub) -> None:
    """Undo :func:`async_setup`."""
    runtime = hub.data.pop(RUNTIME)
    hub.data.pop(HTTP_SESSION)
    if runtime is not None:
        await runtime.stop()
