"""The intake: receives on a paho client whose network loop runs in its own thread.

The network thread only appends raw messages to a deque and, when the deque was idle,
schedules one drain on the event loop. The drain routes, checks and hands out everything
queued so far in one loop callback, so a flood costs one thread hand-off per batch, not per
message. Subscriptions use QoS 1 by default on a persistent session (``clean_session``
False, or MQTT 5 clean start off with a session expiry), so messages published while the hub
was away are delivered when it reconnects. paho reconnects with exponential backoff capped
at 30 s; every subscription is renewed on each connection.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any, cast

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

from hub.api import Hub

from .connection import ConnectionSettings
from .models import ReceivedMessage
from .payload_schema import PayloadSchema
from .ratelimit import RateLimitedLog
from .router import TopicRouter, topic_matches
from .stats import IntakeStats

_LOGGER = logging.getLogger(__name__)

MAX_BATCH = 5_000
BATCH_DELAY = 0.002
SUBSCRIBE_CHUNK = 500
RECONNECT_MIN_DELAY = 1
RECONNECT_MAX_DELAY = 30


class Intake:
    """Broker subscriptions, the receiving thread and batched dispatch to the router."""

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
        self._queue: deque[paho.MQTTMessage] = deque()
        self._scheduled = False
        self._filters: dict[str, int] = {}  # broker filter → qos
        self._refcount: dict[str, int] = {}
        self._to_subscribe: list[str] = []
        self._to_unsubscribe: list[str] = []
        self._flush_scheduled = False
        self._pending_acks: set[int] = set()
        self._settled = asyncio.Event()
        self._settled.set()
        self._connected = asyncio.Event()
        self._client = self._make_client()
        self._running = False

    # -- lifecycle -----------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        """True while the intake connection is up."""
        return self._connected.is_set()

    async def start(self) -> None:
        """Start connecting; the network thread keeps reconnecting until :meth:`stop`."""
        s = self._settings
        properties = None
        clean_start: Any = paho.MQTT_CLEAN_START_FIRST_ONLY
        if s.mqtt5:
            properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
            properties.SessionExpiryInterval = s.session_expiry
            clean_start = False
        self._client.connect_async(
            s.host, s.port, s.keepalive, clean_start=clean_start, properties=properties
        )
        # loop_start builds a wake-up socket pair with a blocking accept: off the loop.
        await self._hub.run_in_executor(self._client.loop_start)
        self._running = True

    async def stop(self) -> None:
        """Disconnect, join the network thread, then hand out what was still queued."""
        if not self._running:
            return
        self._running = False
        self._client.disconnect()
        await self._hub.run_in_executor(self._client.loop_stop)
        self._connected.clear()
        while self._queue:
            self._drain()

    async def wait_connected(self) -> None:
        """Return once connected (wrap in ``asyncio.timeout`` to bound the wait)."""
        await self._connected.wait()

    async def settled(self) -> None:
        """Return once every subscription change was acknowledged and the queue is empty."""
        while True:
            await self._settled.wait()
            if not self._queue and not self._flush_scheduled and self._settled.is_set():
                return
            await asyncio.sleep(0.01)

    # -- subscriptions (event loop) ------------------------------------------------------
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
            self._send_subscribe(subs)
            for start in range(0, len(unsubs), SUBSCRIBE_CHUNK):
                rc, mid = self._client.unsubscribe(unsubs[start : start + SUBSCRIBE_CHUNK])
                if rc == paho.MQTT_ERR_SUCCESS and mid is not None:
                    self._pending_acks.add(mid)
        if not self._pending_acks:
            self._settled.set()

    def _send_subscribe(self, filters: list[str]) -> None:
        for start in range(0, len(filters), SUBSCRIBE_CHUNK):
            chunk = [
                (f, self._options(self._filters[f]))
                for f in filters[start : start + SUBSCRIBE_CHUNK]
            ]
            rc, mid = self._client.subscribe(chunk)
            if rc == paho.MQTT_ERR_SUCCESS and mid is not None:
                self._pending_acks.add(mid)

    def _options(self, qos: int) -> Any:
        if self._settings.mqtt5:
            return SubscribeOptions(qos=qos, retainHandling=SubscribeOptions.RETAIN_SEND_IF_NEW_SUB)
        return qos

    def _acked(self, mid: int) -> None:
        self._pending_acks.discard(mid)
        if not self._pending_acks and not self._flush_scheduled:
            self._settled.set()

    def _on_connected(self) -> None:
        self._stats.connects += 1
        self._connected.set()
        self._pending_acks.clear()
        self._send_subscribe(list(self._filters))
        if not self._pending_acks and not self._flush_scheduled:
            self._settled.set()

    def _on_disconnected(self) -> None:
        if self._connected.is_set():
            self._stats.disconnects += 1
        self._connected.clear()

    # -- network thread ------------------------------------------------------------------
    def _make_client(self) -> paho.Client:
        s = self._settings
        client = paho.Client(
            CallbackAPIVersion.VERSION2,
            client_id=s.client_id,
            clean_session=None if s.mqtt5 else False,
            protocol=paho.MQTTv5 if s.mqtt5 else paho.MQTTv311,
        )
        if s.username is not None:
            client.username_pw_set(s.username, s.password)
        if s.tls is not None:
            client.tls_set_context(s.tls)
            client.tls_insecure_set(s.tls_insecure)
        client.reconnect_delay_set(RECONNECT_MIN_DELAY, RECONNECT_MAX_DELAY)
        client.on_connect = self._thread_on_connect
        client.on_disconnect = self._thread_on_disconnect
        client.on_message = self._thread_on_message
        client.on_subscribe = self._thread_on_ack
        client.on_unsubscribe = self._thread_on_ack
        return client

    def _thread_on_connect(
        self, client: Any, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        if reason.is_failure:
            _LOGGER.warning(
                "MQTT intake connection to %s:%s refused: %s",
                self._settings.host,
                self._settings.port,
                reason,
            )
            return
        _LOGGER.info(
            "MQTT intake connected to %s:%s (session present: %s)",
            self._settings.host,
            self._settings.port,
            flags.session_present,
        )
        self._hub.add_job_threadsafe(self._on_connected)

    def _thread_on_disconnect(
        self, client: Any, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        if self._running:
            _LOGGER.warning("MQTT intake disconnected (%s); reconnecting", reason)
        self._hub.add_job_threadsafe(self._on_disconnected)

    def _thread_on_ack(self, client: Any, userdata: Any, mid: int, codes: Any, props: Any) -> None:
        self._hub.add_job_threadsafe(self._acked, mid)

    def _thread_on_message(self, client: Any, userdata: Any, message: paho.MQTTMessage) -> None:
        self._queue.append(message)
        if not self._scheduled:
            self._scheduled = True
            self._hub.add_job_threadsafe(self._schedule_drain)

    # -- dispatch (event loop) -----------------------------------------------------------
    def _schema_for(self, topic: str) -> PayloadSchema | None:
        try:
            return self._schema_cache[topic]
        except KeyError:
            found = next((s for s in self._schemas if topic_matches(s.topic_filter, topic)), None)
            self._schema_cache[topic] = found
            return found

    def _schedule_drain(self) -> None:
        # Let a batch build up for a few ms: the loop then works in long stretches and the
        # network thread runs undisturbed in between (fewer wake-ups and GIL hand-offs).
        self._hub.loop.call_later(BATCH_DELAY, self._drain)

    def _drain(self) -> None:
        self._scheduled = False
        queue = self._queue
        if not queue:
            return
        popleft = queue.popleft
        handlers_for = self._router.handlers_for
        schema_for = self._schema_for if self._schemas else None
        stats = self._stats
        now = time.time()
        count = 0
        while queue and count < MAX_BATCH:
            raw = popleft()
            count += 1
            topic = raw.topic
            message = ReceivedMessage(topic, cast(bytes, raw.payload), raw.qos, raw.retain, now)
            if schema_for is not None:
                schema = schema_for(topic)
                if schema is not None:
                    problem = schema.problem(message)
                    if problem is not None:
                        stats.count_invalid(topic)
                        self._log.warning(
                            f"invalid:{topic}", "Dropped invalid message on %s: %s", topic, problem
                        )
                        continue
            for handler in handlers_for(topic):
                try:
                    handler(message)
                except Exception as err:
                    stats.handler_errors += 1
                    self._log.warning(
                        f"error:{topic}", "Error handling message on %s: %r", topic, err
                    )
        stats.received += count
        stats.batches += 1
        if count > stats.largest_batch:
            stats.largest_batch = count
        if queue and not self._scheduled:
            self._scheduled = True
            self._hub.loop.call_soon(self._drain)
