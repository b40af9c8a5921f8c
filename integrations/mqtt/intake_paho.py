"""The paho receiver (``intake_receiver: paho``): a paho client whose network loop runs in
its own thread.

The network thread only appends raw messages to a deque and, when the deque was idle,
schedules one drain on the event loop, so a flood costs one thread hand-off per batch.
paho acknowledges QoS 1 messages as it reads them, before they are applied. It reconnects
with exponential backoff capped at 30 s; every subscription is renewed on each connection.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any, cast

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

from .intake_base import IntakeBase
from .models import ReceivedMessage

_LOGGER = logging.getLogger(__name__)

MAX_BATCH = 5_000
BATCH_DELAY = 0.002
RECONNECT_MIN_DELAY = 1
RECONNECT_MAX_DELAY = 30


class PahoIntake(IntakeBase):
    """The intake on a paho network thread with batched hand-off to the event loop."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue: deque[paho.MQTTMessage] = deque()
        self._scheduled = False
        self._client = self._make_client()
        self._running = False

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

    def _busy(self) -> bool:
        return bool(self._queue) or self._scheduled

    def _send_subscribe(self, filters: list[tuple[str, int]]) -> int | None:
        rc, mid = self._client.subscribe([(f, self._options(qos)) for f, qos in filters])
        return mid if rc == paho.MQTT_ERR_SUCCESS else None

    def _send_unsubscribe(self, filters: list[str]) -> int | None:
        rc, mid = self._client.unsubscribe(filters)
        return mid if rc == paho.MQTT_ERR_SUCCESS else None

    def _options(self, qos: int) -> Any:
        if self._settings.mqtt5:
            return SubscribeOptions(qos=qos, retainHandling=SubscribeOptions.RETAIN_SEND_IF_NEW_SUB)
        return qos

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
        now = time.time()
        batch: list[ReceivedMessage] = []
        while queue and len(batch) < MAX_BATCH:
            raw = popleft()
            batch.append(
                ReceivedMessage(raw.topic, cast(bytes, raw.payload), raw.qos, raw.retain, now)
            )
        self.apply(batch)
        if queue and not self._scheduled:
            self._scheduled = True
            self._hub.loop.call_soon(self._drain)
