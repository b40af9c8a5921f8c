"""The intake: an asyncio protocol on the event loop that reads packets in bulk.

Each chunk the socket delivers (often thousands of messages) is split into packets by
:class:`~.packets.PacketReader`, routed and applied in one go, and only then are its QoS 1
messages acknowledged, in one write: a message the hub did not apply is redelivered. The
session is persistent (``clean_session`` 0, or MQTT 5 clean start off with a session
expiry), so readings published while the hub was away arrive when it reconnects. It
reconnects with exponential backoff from 1 s to 30 s and renews every subscription on each
connection; PINGREQ keeps the connection alive. No thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from hub.api import cancel_and_wait

from . import packets as p
from .intake_base import IntakeBase
from .models import ReceivedMessage

_LOGGER = logging.getLogger(__name__)

BACKOFF_START = 1.0
BACKOFF_MAX = 30.0
CONNACK_TIMEOUT = 10.0


class _IntakeProtocol(asyncio.Protocol):
    """One connection: parse what arrives, apply it, acknowledge it."""

    def __init__(self, intake: Intake) -> None:
        self._intake = intake
        self._reader = p.PacketReader(mqtt5=intake.mqtt5)
        self.transport: asyncio.Transport | None = None
        self.connack: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.last_received = time.monotonic()
        self._qos2_pending: set[int] = set()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.connack.done():
            self.connack.set_exception(exc or ConnectionError("closed before CONNACK"))
        if not self.closed.done():
            self.closed.set_result(None)

    def write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def data_received(self, data: bytes) -> None:
        now = time.time()
        self.last_received = time.monotonic()
        try:
            result = self._reader.feed(data, now)
        except p.MalformedPacket as err:
            _LOGGER.warning("MQTT intake: malformed packet from the broker (%s); reconnecting", err)
            if self.transport is not None:
                self.transport.close()
            return
        for packet in result.control:
            self._control(packet)
        messages = result.messages
        if not messages:
            return
        recs = result.qos2_ids
        if recs and self._qos2_pending:
            messages = self._skip_qos2_duplicates(messages, result.packet_ids)
        self._intake.apply(messages)
        if result.qos1_ids:
            self.write(p.ack_packets(p.PUBACK, result.qos1_ids))
        if recs:
            self._qos2_pending.update(recs)
            self.write(p.ack_packets(p.PUBREC, recs))

    def _skip_qos2_duplicates(
        self, messages: list[ReceivedMessage], ids: list[int]
    ) -> list[ReceivedMessage]:
        """Drop QoS 2 redeliveries whose PUBREL is still awaited (already applied); they
        are answered with PUBREC again all the same."""
        pending = self._qos2_pending
        kept = [m for m, i in zip(messages, ids, strict=True) if m.qos != 2 or i not in pending]
        if len(kept) < len(messages):
            self._intake.dropped(len(messages) - len(kept))
        return kept

    def _control(self, packet: p.ControlPacket) -> None:
        kind = packet.type
        if kind == p.CONNACK:
            if not self.connack.done():
                self.connack.set_result(packet.body)
        elif kind in (p.SUBACK, p.UNSUBACK):
            self._intake.acknowledged(packet)
        elif kind == p.PUBREL and len(packet.body) >= 2:
            pid = (packet.body[0] << 8) | packet.body[1]
            self._qos2_pending.discard(pid)
            self.write(p.ack_packets(p.PUBCOMP, [pid]))
        elif kind == p.DISCONNECT:
            _LOGGER.warning("MQTT intake: the broker disconnected (%r)", packet.body[:1])
            if self.transport is not None:
                self.transport.close()
        # PINGRESP only refreshes last_received.


class Intake(IntakeBase):
    """Broker subscriptions and the receiving connection, all on the event loop."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._task: asyncio.Task[None] | None = None
        self._protocol: _IntakeProtocol | None = None
        self._next_id = 0

    @property
    def mqtt5(self) -> bool:
        """True when speaking MQTT 5."""
        return self._settings.mqtt5

    async def start(self) -> None:
        """Start the connection task."""
        self._task = self._hub.create_task(self._run(), name="mqtt-intake")

    async def stop(self) -> None:
        """Send DISCONNECT (the broker keeps the session) and close."""
        protocol = self._protocol
        if protocol is not None and protocol.transport is not None:
            protocol.write(p.DISCONNECT_PACKET)
            protocol.transport.close()
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None
        self._connected.clear()

    def _packet_id(self) -> int:
        self._next_id = self._next_id % 65535 + 1
        return self._next_id

    def _send_subscribe(self, filters: list[tuple[str, int]]) -> int | None:
        if self._protocol is None:
            return None
        pid = self._packet_id()
        self._protocol.write(p.subscribe_packet(pid, filters, mqtt5=self.mqtt5))
        return pid

    def _send_unsubscribe(self, filters: list[str]) -> int | None:
        if self._protocol is None:
            return None
        pid = self._packet_id()
        self._protocol.write(p.unsubscribe_packet(pid, filters, mqtt5=self.mqtt5))
        return pid

    def acknowledged(self, packet: p.ControlPacket) -> None:
        """A SUBACK or UNSUBACK arrived: log refused filters, settle."""
        body = packet.body
        if len(body) < 2:
            return
        pid = (body[0] << 8) | body[1]
        codes = body[2:]
        if self.mqtt5:
            with contextlib.suppress(p.MalformedPacket):
                codes = body[p.parse_properties(body, 2)[1] :]
        if packet.type == p.SUBACK and any(code >= 0x80 for code in codes):
            _LOGGER.warning("MQTT intake: the broker refused a subscription (codes %s)", codes)
        self._acked(pid)

    async def _run(self) -> None:
        delay = BACKOFF_START
        while True:
            try:
                if await self._session():
                    delay = BACKOFF_START
            except (OSError, TimeoutError, ConnectionError) as err:
                _LOGGER.warning(
                    "MQTT intake connection to %s:%s failed (%s); retrying in %.0f s",
                    self._settings.host,
                    self._settings.port,
                    err,
                    delay,
                )
            finally:
                self._protocol = None
                self._on_disconnected()
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF_MAX)

    async def _session(self) -> bool:
        """One connection, until it closes; True if the broker accepted it."""
        s = self._settings
        loop = self._hub.loop
        _, protocol = await loop.create_connection(
            lambda: _IntakeProtocol(self),
            s.host,
            s.port,
            ssl=s.tls,
            server_hostname=s.host if s.tls is not None else None,
        )
        try:
            protocol.write(
                p.connect_packet(
                    s.client_id,
                    s.keepalive,
                    mqtt5=s.mqtt5,
                    session_expiry=s.session_expiry,
                    username=s.username,
                    password=s.password,
                )
            )
            async with asyncio.timeout(CONNACK_TIMEOUT):
                connack = await protocol.connack
            keepalive = self._accepted(connack)
            if keepalive is None:
                return False
            self._protocol = protocol
            self._on_connected()
            await self._keep_alive(protocol, keepalive)
            _LOGGER.warning("MQTT intake disconnected; reconnecting")
            return True
        finally:
            if protocol.transport is not None:
                protocol.transport.close()

    def _accepted(self, connack: bytes) -> int | None:
        """The keepalive to use if CONNACK accepted the connection, else None (logged)."""
        s = self._settings
        if len(connack) < 2 or connack[1] != 0:
            _LOGGER.warning(
                "MQTT intake connection to %s:%s refused (code %s)",
                s.host,
                s.port,
                connack[1] if len(connack) > 1 else None,
            )
            return None
        keepalive = s.keepalive
        if s.mqtt5:
            try:
                props, _ = p.parse_properties(connack, 2)
            except p.MalformedPacket:
                props = {}
            keepalive = props.get(p.PROP_SERVER_KEEP_ALIVE, keepalive)
        _LOGGER.info(
            "MQTT intake connected to %s:%s (session present: %s)",
            s.host,
            s.port,
            bool(connack[0] & 1),
        )
        return keepalive

    async def _keep_alive(self, protocol: _IntakeProtocol, keepalive: int) -> None:
        """PINGREQ every half keepalive; give up on a broker silent for 1.5 keepalives."""
        interval = max(keepalive / 2, 0.5) if keepalive else None
        while not protocol.closed.done():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(interval):
                    await asyncio.shield(protocol.closed)
            if protocol.closed.done() or interval is None:
                continue
            if time.monotonic() - protocol.last_received > keepalive * 1.5:
                _LOGGER.warning("MQTT intake: no answer from the broker within the keepalive")
                return
            protocol.write(p.PINGREQ_PACKET)
