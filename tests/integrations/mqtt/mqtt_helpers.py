"""Helpers for the MQTT tests: a threaded test publisher and waiting utilities."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from hub.core.hub import Hub
from integrations.mqtt.discovery import MQTT_DISCOVERY
from integrations.mqtt.runtime import MqttRuntime


class Publisher:
    """A paho client on its own thread: publishes, queues while the broker is away."""

    def __init__(self, host: str, port: int, client_id: str = "test-publisher") -> None:
        self.client = paho.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False
        )
        self.client.reconnect_delay_set(0.1, 0.5)
        self.client.max_inflight_messages_set(1000)
        self._connected = threading.Event()
        self.client.on_connect = lambda *a: self._connected.set()
        self.client.on_disconnect = lambda *a: self._connected.clear()
        self.client.connect_async(host, port)
        self.client.loop_start()

    async def wait_connected(self) -> None:
        await wait_for(self._connected.is_set)

    def publish(self, topic: str, payload: str | bytes, qos: int = 0, retain: bool = False) -> Any:
        return self.client.publish(topic, payload, qos, retain)

    async def publish_wait(
        self, topic: str, payload: str | bytes, qos: int = 1, retain: bool = False
    ) -> None:
        info = self.client.publish(topic, payload, qos, retain)
        await wait_for(info.is_published)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


async def settle(hub: Hub, runtime: MqttRuntime) -> None:
    """Wait for the intake queue, subscriptions and discovery work to finish."""
    async with asyncio.timeout(20):
        await runtime.intake.settled()
        discovery = hub.data.get(MQTT_DISCOVERY)
        if discovery is not None:
            await discovery.idle()
        await runtime.intake.settled()


async def wait_for(predicate: Callable[[], bool], within: float = 10.0) -> None:
    """Poll ``predicate`` (a condition set by another thread or process) until true."""
    async with asyncio.timeout(within):
        while True:
            if predicate():
                return
            await asyncio.sleep(0.005)
