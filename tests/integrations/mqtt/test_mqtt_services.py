"""mqtt.publish, mqtt.dump, the mqtt trigger and dispatch to other integrations' hooks."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from mqtt_helpers import settle, wait_for

from hub.api import MqttDiscoveryMessage, hookimpl
from hub.core.errors import ServiceValidationError
from hub.core.hub import Hub
from integrations.mqtt.trigger import attach_trigger, register_triggers

pytestmark = pytest.mark.mosquitto


async def test_publish_and_payload_template(hub: Hub, broker: Any, setup_mqtt_on: Any) -> None:
    runtime = await setup_mqtt_on(broker)
    got: list[tuple[str, str, bool]] = []
    runtime.subscribe("out/#", lambda m: got.append((m.topic, m.text, m.retain)), 1)
    await settle(hub, runtime)
    await hub.services.call("mqtt", "publish", {"topic": "out/a", "payload": "hello", "qos": 1})
    await hub.services.call(
        "mqtt", "publish", {"topic": "out/b", "payload_template": "{{ 6 * 7 }}"}
    )
    await wait_for(lambda: len(got) == 2)
    assert sorted(got) == [("out/a", "hello", False), ("out/b", "42", False)]
    with pytest.raises(ServiceValidationError):
        await hub.services.call("mqtt", "publish", {"topic": "out/#", "payload": "x"})


async def test_dump_collects_for_a_duration(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    await setup_mqtt_on(broker)
    pub = publisher_factory(broker)
    await pub.wait_connected()
    call = asyncio.ensure_future(
        hub.services.call(
            "mqtt", "dump", {"topic": "dev/+/tele", "duration": 1}, return_response=True
        )
    )
    await asyncio.sleep(0.3)
    await pub.publish_wait("dev/1/tele", "a")
    await pub.publish_wait("dev/2/tele", "b")
    await pub.publish_wait("dev/2/other", "c")
    response = await call
    assert [(m["topic"], m["payload"]) for m in response["messages"]] == [
        ("dev/1/tele", "a"),
        ("dev/2/tele", "b"),
    ]


async def test_trigger_contract(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    registered: list[dict[str, Any]] = []
    register_triggers(lambda **kw: registered.append(kw))
    assert registered[0]["platform"] == "mqtt"
    schema, attach = registered[0]["schema"], registered[0]["attach"]
    assert attach is attach_trigger

    runtime = await setup_mqtt_on(broker)
    fired: list[dict[str, Any]] = []
    config = schema(
        {"topic": "door/+/event", "payload": "open", "value_template": "{{ value_json.action }}"}
    )
    unsubscribe = attach(hub, config, fired.append)
    await settle(hub, runtime)
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await pub.publish_wait("door/front/event", json.dumps({"action": "close"}))
    await pub.publish_wait("door/front/event", json.dumps({"action": "open"}))
    await wait_for(lambda: len(fired) == 1)
    trigger = fired[0]["trigger"]
    assert trigger["platform"] == "mqtt"
    assert trigger["topic"] == "door/front/event"
    assert trigger["payload_json"] == {"action": "open"}
    unsubscribe()
    await settle(hub, runtime)
    await pub.publish_wait("door/front/event", json.dumps({"action": "open"}))
    await settle(hub, runtime)
    assert len(fired) == 1


async def test_hook_fieldhub_mqtt_discovered(
    hub: Hub, broker: Any, register_plugin: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    """Messages on a manifest's MQTT topics reach that integration's hook."""
    received: list[MqttDiscoveryMessage] = []

    class VendorPlugin:
        @hookimpl
        async def fieldhub_mqtt_discovered(self, hub: Hub, message: MqttDiscoveryMessage) -> None:
            received.append(message)

    register_plugin(
        VendorPlugin(),
        {
            "domain": "plug_vendor",
            "name": "Plug vendor",
            "version": "1.0",
            "mqtt": ["vendor/discovery/#"],
        },
    )
    await setup_mqtt_on(broker)
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await pub.publish_wait("vendor/discovery/plug1/config", b'{"id": 1}', retain=True)
    await wait_for(lambda: len(received) == 1)
    assert received[0] == MqttDiscoveryMessage(
        topic="vendor/discovery/plug1/config",
        payload=b'{"id": 1}',
        retain=False,
        subscribed_topic="vendor/discovery/#",
    )
