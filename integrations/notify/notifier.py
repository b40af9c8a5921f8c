"""Delivery: a queue per target, retries with backoff, rate limits, de-duplication, the log.

A service call only puts a delivery on its target's queue (and in the log); a worker per
target sends it, so a slow or failing target never holds up a caller or another target.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import random
import time
import uuid
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.api import Hub, ServiceValidationError

from .const import ATTR_ALERT_ID, ATTR_STATE, PERSISTENT_TARGET
from .model import Notification, Sender
from .policy import Outcome, classify
from .queue import DueQueue
from .ratelimit import TokenBucket
from .redact import LOGGER, Redactor
from .schema import TargetConfig
from .store import (
    STATUS_DEDUPLICATED,
    STATUS_DELIVERED,
    STATUS_FAILED,
    STATUS_QUEUED,
    STATUS_RETRYING,
    STATUS_SKIPPED,
    AttemptRecord,
    Delivery,
    DeliveryLog,
)

PURGE_EVERY = 24 * 3600.0


class UnknownTarget(ServiceValidationError):
    """A message was addressed to a target that is not configured."""


@dataclass(slots=True)
class Target:
    """A configured target at run time."""

    config: TargetConfig
    sender: Sender
    queue: DueQueue[Delivery]
    bucket: TokenBucket | None
    enabled: bool = True
    disabled_reason: str | None = None
    last_error: str | None = None
    recent: dict[str, float] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The target's name."""
        return self.config.name

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API (no options: they may hold secrets)."""
        rate = self.config.rate_limit
        return {
            "name": self.name,
            "platform": self.config.platform,
            "enabled": self.enabled,
            "disabled_reason": self.disabled_reason,
            "pending": len(self.queue),
            "last_error": self.last_error,
            "max_attempts": self.config.retry.max_attempts,
            "dedup_window": self.config.dedup_window,
            "rate_limit": (
                {"count": rate.count, "period": rate.period, "burst": rate.burst} if rate else None
            ),
        }


def dedup_key(title: str | None, message: str, data: Mapping[str, Any]) -> str:
    """``alert id`` (or a hash of title and message) joined with the alert state."""
    alert_id = data.get(ATTR_ALERT_ID)
    if alert_id:
        base = f"alert:{alert_id}"
    else:
        digest = hashlib.sha256(f"{title or ''}\x00{message}".encode()).hexdigest()[:32]
        base = f"msg:{digest}"
    return f"{base}|{data.get(ATTR_STATE, '')}"


class Notifier:
    """Owns the targets, their queues and workers, and the delivery log."""

    def __init__(self, hub: Hub, redactor: Redactor, *, rng: random.Random | None = None) -> None:
        self._hub = hub
        self.redact = redactor
        self.log = DeliveryLog(hub)
        self._rng = rng or random.Random()
        self._targets: dict[str, Target] = {}
        self._workers: list[asyncio.Task[None]] = []
        self._jobs: set[asyncio.Task[Any]] = set()
        self._cancel_purge: Callable[[], None] | None = None
        self._retention = 0.0

    # -- set-up ------------------------------------------------------------------------------
    def add_target(self, config: TargetConfig, sender: Sender) -> Target:
        """Add a target and start its worker."""
        clock = self._hub.clock
        rate = config.rate_limit
        bucket = TokenBucket(rate.count, rate.period, rate.burst, clock.time) if rate else None
        target = Target(config, sender, DueQueue(clock, self._process), bucket)
        self._targets[config.name] = target
        worker = self._hub.create_task(target.queue.run(), name=f"notify:{config.name}")
        self._workers.append(worker)
        return target

    async def start(self, retention: float) -> None:
        """Resume deliveries left pending by the last run; purge old log entries daily."""
        self._retention = retention
        for delivery in await self.log.pending():
            target = self._targets.get(delivery.target)
            if target is None:
                delivery.status = STATUS_FAILED
                delivery.next_attempt_at = None
                delivery.last_error = "the target is no longer configured"
                await self.log.record(delivery, None)
                continue
            target.queue.put(delivery, delivery.next_attempt_at or self._hub.clock.time())
        await self._purge()

    async def _purge(self) -> None:
        cutoff = self._hub.clock.now() - dt.timedelta(seconds=self._retention)
        removed = await self.log.purge(cutoff)
        if removed:
            LOGGER.debug("Purged %d old notification deliveries", removed)
        self._cancel_purge = self._hub.clock.call_later(
            PURGE_EVERY, lambda: self.spawn(self._purge(), "notify:purge")
        )

    async def stop(self) -> None:
        """Stop the workers and background jobs; close senders that hold resources."""
        if self._cancel_purge is not None:
            self._cancel_purge()
        tasks = [*self._workers, *self._jobs]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._workers.clear()
        for target in self._targets.values():
            close = getattr(target.sender, "close", None)
            if close is not None:
                await close()

    # -- queries -----------------------------------------------------------------------------
    def targets(self) -> list[Target]:
        """Every target, by name."""
        return [self._targets[name] for name in sorted(self._targets)]

    def get(self, name: str) -> Target | None:
        """One target."""
        return self._targets.get(name)

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> None:
        """Run background work that :meth:`wait_idle` waits for."""
        task = self._hub.create_task(coro, name=name)
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)

    async def wait_idle(self) -> None:
        """Return once no job runs and no queue has anything due now."""
        while True:
            if self._jobs:
                await asyncio.gather(*list(self._jobs), return_exceptions=True)
            for target in list(self._targets.values()):
                await target.queue.wait_idle()
            await asyncio.sleep(0)
            if not self._jobs and all(t.queue.is_idle for t in self._targets.values()):
                return

    # -- intake ------------------------------------------------------------------------------
    async def enqueue(
        self,
        target_name: str,
        message: str,
        *,
        title: str | None = None,
        data: Mapping[str, Any] | None = None,
        key: str | None = None,
    ) -> Delivery:
        """Queue one message for one target and return its delivery (already logged)."""
        target = self._targets.get(target_name)
        if target is None:
            known = ", ".join(sorted(self._targets)) or "none"
            raise UnknownTarget(f"unknown notify target '{target_name}' (configured: {known})")
        payload = dict(data or {})
        now = self._hub.clock.time()
        delivery = Delivery(
            id=f"msg_{uuid.uuid4().hex}",
            target=target.name,
            platform=target.config.platform,
            title=title,
            message=message,
            data=payload,
            dedup_key=key or dedup_key(title, message, payload),
            created_at=self._hub.clock.now(),
        )
        if not target.enabled:
            delivery.status = STATUS_SKIPPED
            delivery.last_error = f"target disabled: {target.disabled_reason}"
        elif self._is_duplicate(target, delivery.dedup_key, now):
            delivery.status = STATUS_DEDUPLICATED
        else:
            delivery.next_attempt_at = now
        await self.log.insert(delivery)
        if delivery.status == STATUS_QUEUED:
            target.queue.put(delivery, now)
        else:
            LOGGER.debug("Not sending to %s: %s", target.name, delivery.status)
        return delivery

    def _is_duplicate(self, target: Target, key: str, now: float) -> bool:
        window = target.config.dedup_window
        if window <= 0:
            return False
        target.recent = {k: t for k, t in target.recent.items() if now - t < window}
        if key in target.recent:
            return True
        target.recent[key] = now
        return False

    # -- sending -----------------------------------------------------------------------------
    async def _process(self, delivery: Delivery) -> None:
        target = self._targets[delivery.target]
        try:
            await self._attempt(target, delivery)
        except asyncio.CancelledError:
            raise
        except Exception as err:  # the worker must survive anything a log write raises
            LOGGER.error("Delivery %s to %s broke: %s", delivery.id, target.name, err)

    async def _attempt(self, target: Target, delivery: Delivery) -> None:
        clock = self._hub.clock
        if not target.enabled:
            delivery.status = STATUS_SKIPPED
            delivery.next_attempt_at = None
            delivery.last_error = f"target disabled: {target.disabled_reason}"
            await self.log.record(delivery, None)
            return
        if target.bucket is not None:
            wait = target.bucket.take()
            if wait > 0:
                target.queue.put(delivery, clock.time() + wait)
                return
        delivery.attempt_count += 1
        started_at = clock.now()
        started = time.monotonic()
        outcome = await self._send(target, delivery)
        latency_ms = (time.monotonic() - started) * 1000
        error = self.redact(outcome.error) if outcome.error else None
        self._apply(target, delivery, outcome, error)
        label = (
            "ok" if outcome.ok else ("retry" if delivery.status == STATUS_RETRYING else "failed")
        )
        attempt = AttemptRecord(
            delivery.attempt_count, started_at, outcome.status, latency_ms, label, error
        )
        await self.log.record(delivery, attempt)
        if delivery.status == STATUS_RETRYING and delivery.next_attempt_at is not None:
            target.queue.put(delivery, delivery.next_attempt_at)
        elif delivery.status == STATUS_FAILED:
            await self._report_failure(target, delivery)

    async def _send(self, target: Target, delivery: Delivery) -> Outcome:
        notification = Notification(
            id=delivery.id,
            target=target.name,
            title=delivery.title,
            message=delivery.message,
            data=delivery.data,
            attempt=delivery.attempt_count,
            created=delivery.created_at.timestamp(),
        )
        try:
            async with asyncio.timeout(target.config.timeout):
                result = await target.sender.send(notification)
        except Exception as err:
            return classify(err)
        status = result if isinstance(result, int) and not isinstance(result, bool) else None
        return Outcome(ok=True, status=status)

    def _apply(
        self, target: Target, delivery: Delivery, outcome: Outcome, error: str | None
    ) -> None:
        delivery.last_status_code = outcome.status
        delivery.last_error = error
        delivery.next_attempt_at = None
        if outcome.ok:
            delivery.status = STATUS_DELIVERED
            target.last_error = None
            return
        target.last_error = error
        if outcome.disable:
            target.enabled = False
            target.disabled_reason = error
            delivery.status = STATUS_FAILED
            LOGGER.error("Target %s disabled: %s", target.name, error)
            return
        delay = None
        if outcome.retry:
            delay = target.config.retry.delay_before(delivery.attempt_count + 1, self._rng)
        if delay is None:
            delivery.status = STATUS_FAILED
            LOGGER.warning(
                "Delivery %s to %s failed after %d attempt(s): %s",
                delivery.id,
                target.name,
                delivery.attempt_count,
                error,
            )
            return
        if outcome.retry_after is not None:
            delay = outcome.retry_after
        delivery.status = STATUS_RETRYING
        delivery.next_attempt_at = self._hub.clock.time() + delay
        LOGGER.info(
            "Delivery %s to %s: attempt %d failed (%s); retrying in %.0f s",
            delivery.id,
            target.name,
            delivery.attempt_count,
            error,
            delay,
        )

    async def _report_failure(self, target: Target, delivery: Delivery) -> None:
        if target.config.platform == PERSISTENT_TARGET:
            return
        reason = (
            f"The target was disabled: {target.disabled_reason}"
            if not target.enabled
            else f"Last error: {delivery.last_error}"
        )
        await self._hub.notices.create(
            f"Notification to {target.name} failed",
            f"{delivery.title or delivery.message[:80]!s}\n\n{reason}",
            source="notify",
            notice_id=f"notify_failed_{target.name}",
        )
