"""The publishing connection (aiomqtt): birth and will, commands and ``mqtt.publish``.

It reconnects with exponential backoff capped at 30 s. Receiving goes through the intake
(:mod:`.intake`), which is built for floods.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiomqtt

from hub.api import Hub, HubError, cancel_and_wait

from .connection import ConnectionSettings, OutgoingMessage

_LOGGER = logging.getLogger(__name__)

BACKOFF_START = 1.0
BACKOFF_MAX = 30.0
PUBLISH_WAIT = 10.0


def next_delay(delay: float) -> float:
    """The backoff after ``delay``: doubled, capped at :data:`BACKOFF_MAX`."""
    return min(delay * 2, BACKOFF_MAX)


class ControlClient:
    """One aiomqtt connection kept open by a tracked task until :meth:`stop`."""

    def __init__(self, hub: Hub, settings: ConnectionSettings) -> None:
        self._hub = hub
        self._settings = settings
        self._client: aiomqtt.Client | None = None
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def connected(self) -> bool:
        """True while the connection is up."""
        return self._connected.is_set()

    def start(self) -> None:
        """Start the connection task."""
        self._task = self._hub.create_task(self._run(), name="mqtt-control")

    async def stop(self) -> None:
        """Publish the will payload as a goodbye, then disconnect."""
        will = self._settings.will
        if will is not None and self._client is not None and self.connected:
            with contextlib.suppress(aiomqtt.MqttError, TimeoutError):
                async with asyncio.timeout(2):
                    await self._client.publish(will.topic, will.payload, will.qos, will.retain)
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None

    async def wait_connected(self) -> None:
        """Return once connected (wrap in ``asyncio.timeout`` to bound the wait)."""
        await self._connected.wait()

    async def publish(self, message: OutgoingMessage) -> None:
        """Publish; waits up to 10 s for a connection, then raises :class:`HubError`."""
        try:
            async with asyncio.timeout(PUBLISH_WAIT):
                await self._connected.wait()
                client = self._client
                if client is None:
                    raise HubError("MQTT is not connected")
                await client.publish(message.topic, message.payload, message.qos, message.retain)
        except TimeoutError as err:
            raise HubError(f"MQTT publish to {message.topic} timed out") from err
        except aiomqtt.MqttError as err:
            raise HubError(f"MQTT publish to {message.topic} failed: {err}") from err

    def _make_client(self) -> aiomqtt.Client:
        s = self._settings
        will = None
        if s.will is not None:
            will = aiomqtt.Will(s.will.topic, s.will.payload, s.will.qos, s.will.retain)
        return aiomqtt.Client(
            s.host,
            s.port,
            username=s.username,
            password=s.password,
            identifier=f"{s.client_id}-control",
            protocol=aiomqtt.ProtocolVersion.V5 if s.mqtt5 else aiomqtt.ProtocolVersion.V311,
            will=will,
            keepalive=s.keepalive,
            tls_context=s.tls,
            tls_insecure=s.tls_insecure if s.tls is not None else None,
        )

    async def _run(self) -> None:
        delay = BACKOFF_START
        while True:
            try:
                async with self._make_client() as client:
                    self._client = client
                    self._connected.set()
                    delay = BACKOFF_START
                    _LOGGER.info(
                        "MQTT connected to %s:%s", self._settings.host, self._settings.port
                    )
                    birth = self._settings.birth
                    if birth is not None:
                        await client.publish(birth.topic, birth.payload, birth.qos, birth.retain)
                    async for _ in client.messages:  # ends with MqttError on disconnection
                        pass
            except aiomqtt.MqttError as err:
                _LOGGER.warning(
                    "MQTT connection lost or refused (%s); retrying in %.0f s", err, delay
                )
            finally:
                self._client = None
                self._connected.clear()
            await asyncio.sleep(delay)
            delay = next_delay(delay)
