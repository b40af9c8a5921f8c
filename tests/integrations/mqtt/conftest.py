"""Fixtures for the MQTT tests: a hub with the mqtt plugin and a threaded test publisher."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from mqtt_helpers import Publisher

import integrations.mqtt as mqtt_plugin
from hub.core.hub import Hub
from hub.testing.mqtt import MosquittoBroker, MqttBrokerFactory
from integrations.mqtt.lifecycle import setup_mqtt, unload_mqtt
from integrations.mqtt.runtime import MqttRuntime

MANIFEST = json.loads((Path(mqtt_plugin.__file__).parent / "manifest.json").read_text())


@pytest.fixture
def publisher_factory() -> Iterator[Callable[..., Publisher]]:
    """Publishers connected to a broker; closed after the test."""
    made: list[Publisher] = []

    def make(broker: Any, client_id: str = "test-publisher") -> Publisher:
        pub = Publisher(broker.host, broker.port, client_id)
        made.append(pub)
        return pub

    yield make
    for pub in made:
        pub.close()


@pytest_asyncio.fixture
async def broker(mqtt_broker: MqttBrokerFactory) -> MosquittoBroker:
    """One Mosquitto broker with persistence."""
    return await mqtt_broker()


SetupMqtt = Callable[..., Awaitable[MqttRuntime]]


@pytest_asyncio.fixture
async def setup_mqtt_on(hub: Hub, register_plugin: Any) -> AsyncIterator[SetupMqtt]:
    """``await setup_mqtt_on(broker, {...config})``: the mqtt integration connected, settled."""
    register_plugin(mqtt_plugin, MANIFEST)

    async def setup(broker: Any, config: dict[str, Any] | None = None) -> MqttRuntime:
        full = {"broker": broker.host, "port": broker.port, **(config or {})}
        runtime = await setup_mqtt(hub, full)
        async with asyncio.timeout(10):
            await runtime.intake.wait_connected()
            await runtime.control.wait_connected()
            await runtime.intake.settled()
        return runtime

    yield setup
    # Unload while the broker still runs (a reconnecting paho thread takes up to 1 s to join).
    await unload_mqtt(hub)
