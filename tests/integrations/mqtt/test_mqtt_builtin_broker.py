"""With no broker configured the integration runs the built-in (amqtt) broker."""

from __future__ import annotations

import asyncio
from typing import Any

from mqtt_helpers import settle, wait_for

import integrations.mqtt as mqtt_plugin
from hub.core.hub import Hub
from hub.testing.network import free_port
from integrations.mqtt.lifecycle import setup_mqtt, unload_mqtt


async def test_builtin_broker_serves_devices(
    hub: Hub, register_plugin: Any, publisher_factory: Any
) -> None:
    from conftest import MANIFEST

    register_plugin(mqtt_plugin, MANIFEST)
    port = free_port()
    runtime = await setup_mqtt(
        hub,
        {
            "builtin_broker": {"host": "127.0.0.1", "port": port},
            "sensor": [{"name": "Level", "state_topic": "tank/level"}],
        },
    )
    try:
        async with asyncio.timeout(10):
            await runtime.intake.wait_connected()
            await runtime.control.wait_connected()
        await settle(hub, runtime)
        pub = publisher_factory(runtime.settings)
        await pub.wait_connected()
        await pub.publish_wait("tank/level", "73")
        await wait_for(lambda: hub.states.get("sensor.level").state == "73")
        await hub.services.call("mqtt", "publish", {"topic": "tank/level", "payload": "74"})
        await wait_for(lambda: hub.states.get("sensor.level").state == "74")
    finally:
        await unload_mqtt(hub)


async def test_fixture_builtin_broker(
    hub: Hub, builtin_mqtt_broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    broker = await builtin_mqtt_broker()
    runtime = await setup_mqtt_on(
        broker, {"sensor": [{"name": "Flow", "state_topic": "pump/flow"}]}
    )
    pub = publisher_factory(broker)
    await pub.wait_connected()
    for value in range(20):
        await pub.publish_wait("pump/flow", str(value))
    await wait_for(lambda: hub.states.get("sensor.flow").state == "19")
    assert runtime.stats.received >= 20
