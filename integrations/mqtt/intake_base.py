"""What every intake receiver shares: reference-counted subscriptions renewed on each
connection, and :meth:`IntakeBase.apply`, which routes, checks and hands out a batch."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable

from hub.api import Hub, hub_metrics

from . import const as c
from .connection import ConnectionSettings
from .models import ReceivedMessage
from .payload_schema import PayloadSchema
from .ratelimit import RateLimitedLog
from .router import TopicRouter, topic_matches
from .stats import IntakeStats

_LOGGER = logging.getLogger(__name__)

SUBSCRIBE_CHUNK = 500


class IntakeBase(ABC):
    """Broker subscriptions and batched dispatch; subclasses own the connection."""

    def __init__(
        self,
        hub: Hub,
        settings: ConnectionSettings,
        router: TopicRouter,
        stats: IntakeStats,
        schemas: list[PayloadSchema] | None = None,
    ) -> None:
        self._hub = hub
        self._settings = settings
        self._router = router
        self._stats = stats
        self._schemas = list(schemas or ())
        self._schema_cache: dict[str, PayloadSchema | None] = {}
        self._log = RateLimitedLog(_LOGGER)
        metrics = hub_metrics(hub)
        self._invalid_counter = metrics.invalid_inputs
        self._dropped_counter = metrics.dropped_inputs
        self._filters: dict[str, int] = {}  # broker filter → qos
        self._refcount: dict[str, int] = {}
        self._to_subscribe: list[str] = []
        self._to_unsubscribe: list[str] = []
        self._flush_scheduled = False
        self._pending_acks: set[int] = set()
        self._settled = asyncio.Event()
        self._settled.set()
        self._connected = asyncio.Event()

    # -- connection (subclasses) ---------------------------------------------------------
    @abstractmethod
    async def start(self) -> None:
        """Start connecting; keep reconnecting until :meth:`stop`."""

    @abstractmethod
    async def stop(self) -> None:
        """Disconnect and hand out whatever was received."""

    @abstractmethod
    def _send_subscribe(self, filters: list[tuple[str, int]]) -> int | None:
        """Send one SUBSCRIBE; return its packet id (None if it could not be sent)."""

    @abstractmethod
    def _send_unsubscribe(self, filters: list[str]) -> int | None:
        """Send one UNSUBSCRIBE; return its packet id (None if it could not be sent)."""

    def _busy(self) -> bool:
        """True while received messages wait to be handed out."""
        return False

    # -- state -----------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        """True while the intake connection is up."""
        return self._connected.is_set()

    async def wait_connected(self) -> None:
        """Return once connected (wrap in ``asyncio.timeout`` to bound the wait)."""
        await self._connected.wait()

    async def settled(self) -> None:
        """Return once every subscription change was acknowledged and nothing is queued."""
        while True:
            await self._settled.wait()
            if not self._busy() and not self._flush_scheduled and self._settled.is_set():
                return
            await asyncio.sleep(0.01)

    # -- subscriptions (event loop) --------------------------------------------------------
    def subscribe(
        self, topic_filter: str, qos: int = 1, *, shared: bool = False
    ) -> Callable[[], None]:
        """Hold a broker subscription; return the release callable (reference counted).

        ``shared`` subscriptions use ``$share/<group>/`` when a group is configured, so
        several hubs split the stream.
        """
        group = self._settings.shared_group
        broker_filter = f"$share/{group}/{topic_filter}" if shared and group else topic_filter
        count = self._refcount.get(broker_filter, 0)
        self._refcount[broker_filter] = count + 1
        if count == 0 or qos > self._filters.get(broker_filter, 0):
            self._filters[broker_filter] = max(qos, self._filters.get(broker_filter, 0))
            self._to_subscribe.append(broker_filter)
            self._schedule_flush()
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            left = self._refcount[broker_filter] - 1
            if left:
                self._refcount[broker_filter] = left
                return
            del self._refcount[broker_filter]
            self._filters.pop(broker_filter, None)
            self._to_unsubscribe.append(broker_filter)
            self._schedule_flush()

        return release

    def _schedule_flush(self) -> None:
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._settled.clear()
            self._hub.loop.call_soon(self._flush_subscriptions)

    def _flush_subscriptions(self) -> None:
        self._flush_scheduled = False
        subs = [f for f in dict.fromkeys(self._to_subscribe) if f in self._filters]
        unsubs = [f for f in dict.fromkeys(self._to_unsubscribe) if f not in self._filters]
        self._to_subscribe.clear()
        self._to_unsubscribe.clear()
        if self.connected:
            self._subscribe_all(subs)
            for start in range(0, len(unsubs), SUBSCRIBE_CHUNK):
                self._track(self._send_unsubscribe(unsubs[start : start + SUBSCRIBE_CHUNK]))
        if not self._pending_acks:
            self._settled.set()

    def _subscribe_all(self, filters: list[str]) -> None:
        for start in range(0, len(filters), SUBSCRIBE_CHUNK):
            chunk = [(f, self._filters[f]) for f in filters[start : start + SUBSCRIBE_CHUNK]]
            self._track(self._send_subscribe(chunk))

    def _track(self, packet_id: int | None) -> None:
        if packet_id is not None:
            self._pending_acks.add(packet_id)

    def _acked(self, packet_id: int) -> None:
        self._pending_acks.discard(packet_id)
        if not self._pending_acks and not self._flush_scheduled:
            self._settled.set()

    def _on_connected(self) -> None:
        self._stats.connects += 1
        self._connected.set()
        self._pending_acks.clear()
        self._subscribe_all(list(self._filters))
        if not self._pending_acks and not self._flush_scheduled:
            self._settled.set()

    def _on_disconnected(self) -> None:
        if self._connected.is_set():
            self._stats.disconnects += 1
        self._connected.clear()
        # Acknowledgements of the lost connection never come; the next one resubscribes.
        self._pending_acks.clear()
        if not self._flush_scheduled:
            self._settled.set()

    # -- dispatch (event loop) -------------------------------------------------------------
    def dropped(self, count: int) -> None:
        """Count messages dropped before reaching a handler (duplicates)."""
        self._dropped_counter.inc(count, integration=c.DOMAIN)

    def _schema_for(self, topic: str) -> PayloadSchema | None:
        try:
            return self._schema_cache[topic]
        except KeyError:
            found = next((s for s in self._schemas if topic_matches(s.topic_filter, topic)), None)
            self._schema_cache[topic] = found
            return found

    def apply(self, messages: Iterable[ReceivedMessage]) -> int:
        """Check and hand out ``messages`` to their handlers; return how many there were."""
        handlers_for = self._router.handlers_for
        schema_for = self._schema_for if self._schemas else None
        stats = self._stats
        count = 0
        for message in messages:
            count += 1
            topic = message.topic
            if schema_for is not None:
                schema = schema_for(topic)
                if schema is not None:
                    problem = schema.problem(message)
                    if problem is not None:
                        stats.count_invalid(topic)
                        self._invalid_counter.inc(integration=c.DOMAIN)
                        self._log.warning(
                            f"invalid:{topic}", "Dropped invalid message on %s: %s", topic, problem
                        )
                        continue
            for handler in handlers_for(topic):
                try:
                    handler(message)
                except Exception as err:
                    stats.handler_errors += 1
                    self._dropped_counter.inc(integration=c.DOMAIN)
                    self._log.warning(
                        f"error:{topic}", "Error handling message on %s: %r", topic, err
                    )
        stats.received += count
        stats.batches += 1
        if count > stats.largest_batch:
            stats.largest_batch = count
        return count
