"""Intake reliability: broker and hub restarts lose no QoS 1 reading; invalid floods are
dropped and counted while valid readings keep flowing; shared subscriptions split a stream;
QoS 1 and QoS 2 acknowledgements follow the batch."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as paho
import pytest
from mqtt_helpers import settle, wait_for
from paho.mqtt.enums import CallbackAPIVersion
from test_mqtt_packets import publish

from hub.core.hub import Hub
from integrations.mqtt.connection import ConnectionSettings
from integrations.mqtt.intake import Intake, _IntakeProtocol
from integrations.mqtt.lifecycle import unload_mqtt
from integrations.mqtt.models import ReceivedMessage
from integrations.mqtt.router import TopicRouter
from integrations.mqtt.stats import IntakeStats

pytestmark = pytest.mark.mosquitto

SENSOR = {"sensor": [{"name": "Seq", "state_topic": "plant/seq", "force_update": True}]}


def _collect_values(hub: Hub, entity_id: str) -> list[str]:
    values: list[str] = []

    def on_change(event: Any) -> None:
        new = event.data["new_state"]
        if event.data["entity_id"] == entity_id and new is not None:
            values.append(new.state)

    hub.bus.listen("state_changed", on_change)
    return values


async def test_broker_restart_mid_stream_loses_no_qos1_reading(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    runtime = await setup_mqtt_on(broker, SENSOR)
    values = _collect_values(hub, "sensor.seq")
    pub = publisher_factory(broker, "restart-publisher")
    await pub.wait_connected()
    for seq in range(100):
        pub.publish("plant/seq", str(seq), qos=1)
    await broker.restart(downtime=0.3)
    for seq in range(100, 200):
        pub.publish("plant/seq", str(seq), qos=1)  # queued by the publisher until reconnected
    await wait_for(lambda: {str(i) for i in range(200)} <= set(values), within=20)
    await wait_for(lambda: runtime.intake.connected)
    assert runtime.stats.connects >= 2


async def test_readings_published_while_hub_is_down_arrive_after_restart(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    await setup_mqtt_on(broker, SENSOR)
    await unload_mqtt(hub)
    await hub.entities.remove_integration("mqtt")
    pub = publisher_factory(broker)
    await pub.wait_connected()
    for seq in range(50):
        await pub.publish_wait("plant/seq", str(seq), qos=1)
    values = _collect_values(hub, "sensor.seq")
    await setup_mqtt_on(broker, SENSOR)  # same client id: the broker kept the session
    await wait_for(lambda: {str(i) for i in range(50)} <= set(values))


async def test_malformed_flood_is_counted_and_valid_readings_flow(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any, caplog: Any
) -> None:
    runtime = await setup_mqtt_on(
        broker,
        {
            "schemas": [
                {
                    "topic": "tank/+/reading",
                    "schema": {"level": {"type": "float", "min": 0, "max": 100}},
                }
            ],
            "sensor": [
                {
                    "name": "Tank",
                    "state_topic": "tank/1/reading",
                    "force_update": True,
                    "value_template": "{{ value_json.level }}",
                }
            ],
        },
    )
    values = _collect_values(hub, "sensor.tank")
    pub = publisher_factory(broker)
    await pub.wait_connected()
    bad = [b"not json", b'{"level": "high"}', b'{"level": 140}', b"[]", b'{"other": 1}']
    for i in range(2000):
        pub.publish("tank/1/reading", bad[i % len(bad)], qos=0)
        if i % 10 == 0:
            pub.publish("tank/1/reading", json.dumps({"level": i / 20}), qos=0)
    await pub.publish_wait("tank/1/reading", json.dumps({"level": 99.5}))
    await wait_for(lambda: values[-1:] == ["99.5"])
    await settle(hub, runtime)
    assert len(values) == 201
    assert runtime.stats.invalid == 2000
    assert runtime.stats.invalid_by_topic == {"tank/1/reading": 2000}
    assert runtime.stats.handler_errors == 0
    warnings = [r for r in caplog.records if "Dropped invalid message" in r.getMessage()]
    assert 1 <= len(warnings) <= 2  # rate limited
    await wait_for(lambda: hub.states.get("sensor.mqtt_invalid_messages") is not None)


async def test_json_schema_file(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["temp"],
        "properties": {"temp": {"type": "number", "minimum": -40, "maximum": 85}},
    }
    path = hub.config_dir / "reading.schema.json"
    await asyncio.to_thread(path.write_text, json.dumps(schema))
    runtime = await setup_mqtt_on(
        broker,
        {
            "schemas": [{"topic": "room/+", "schema": "reading.schema.json"}],
            "sensor": [
                {"name": "Room", "state_topic": "room/1", "value_template": "{{ value_json.temp }}"}
            ],
        },
    )
    pub = publisher_factory(broker)
    await pub.wait_connected()
    await pub.publish_wait("room/1", json.dumps({"temp": 120}))
    await pub.publish_wait("room/1", json.dumps({"temp": 21}))
    await wait_for(lambda: hub.states.get("sensor.room").state == "21")
    assert runtime.stats.invalid_by_topic == {"room/1": 1}


async def test_shared_subscription_splits_the_stream(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    runtime = await setup_mqtt_on(
        broker,
        {
            "protocol": "5",
            "shared_subscription_group": "hubs",
            "sensor": [{"name": "Seq", "state_topic": "plant/seq", "force_update": True}],
        },
    )
    values = _collect_values(hub, "sensor.seq")
    other_count = 0
    subscribed = threading.Event()

    def on_message(*_: Any) -> None:
        nonlocal other_count
        other_count += 1

    other = paho.Client(CallbackAPIVersion.VERSION2, client_id="other-hub", protocol=paho.MQTTv5)
    other.on_message = on_message
    other.on_subscribe = lambda *a: subscribed.set()
    other.on_connect = lambda c, *a: c.subscribe("$share/hubs/plant/seq", 1)
    other.connect_async(broker.host, broker.port)
    other.loop_start()
    try:
        await wait_for(subscribed.is_set)
        pub = publisher_factory(broker)
        await pub.wait_connected()
        for seq in range(100):
            await pub.publish_wait("plant/seq", str(seq), qos=1)
        await wait_for(lambda: len(values) + other_count == 100)
        assert values and other_count
    finally:
        other.disconnect()
        other.loop_stop()
    assert runtime.intake.connected


def _wired_protocol(
    hub: Hub, handler: Callable[[ReceivedMessage], None], write: Callable[[bytes], None]
) -> _IntakeProtocol:
    """An intake connection without a socket: ``t/#`` goes to ``handler``, writes to ``write``."""
    router = TopicRouter()
    router.add("t/#", handler)
    intake = Intake(hub, ConnectionSettings("localhost", 1883, "c"), router, IntakeStats())
    protocol = _IntakeProtocol(intake)

    class Transport:
        def write(self, data: bytes) -> None:
            write(data)

        def is_closing(self) -> bool:
            return False

    protocol.transport = Transport()  # type: ignore[assignment]
    return protocol


async def test_qos1_is_acknowledged_after_the_batch_is_applied(hub: Hub) -> None:
    events: list[tuple[str, bytes]] = []
    protocol = _wired_protocol(
        hub,
        lambda m: events.append(("applied", m.payload)),
        lambda d: events.append(("written", d)),
    )
    chunk = publish("t/1", b"a", qos=1, pid=9) + publish("t/2", b"b") + publish("t/3", b"c", 1, 10)
    protocol.data_received(chunk[:5])
    assert events == []
    protocol.data_received(chunk[5:])
    assert events == [
        ("applied", b"a"),
        ("applied", b"b"),
        ("applied", b"c"),
        ("written", b"\x40\x02\x00\x09\x40\x02\x00\x0a"),  # both PUBACKs in one write
    ]


async def test_qos2_is_applied_once_until_released(hub: Hub) -> None:
    applied: list[bytes] = []
    written: list[bytes] = []
    protocol = _wired_protocol(hub, lambda m: applied.append(m.payload), written.append)
    protocol.data_received(publish("t/1", b"a", qos=2, pid=5) + publish("t/2", b"b", 1, 6))
    assert applied == [b"a", b"b"]
    assert written == [b"\x40\x02\x00\x06", b"\x50\x02\x00\x05"]  # PUBACK 6, PUBREC 5
    protocol.data_received(publish("t/1", b"a", qos=2, pid=5))  # redelivered before PUBREL
    assert applied == [b"a", b"b"]
    assert written[-1] == b"\x50\x02\x00\x05"  # answered again, not applied again
    protocol.data_received(b"\x62\x02\x00\x05")  # PUBREL 5
    assert written[-1] == b"\x70\x02\x00\x05"  # PUBCOMP 5
    protocol.data_received(publish("t/1", b"new", qos=2, pid=5))  # the id is free again
    assert applied == [b"a", b"b", b"new"]


async def test_paho_receiver_behind_the_switch(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    await setup_mqtt_on(broker, {"intake_receiver": "paho", **SENSOR})
    values = _collect_values(hub, "sensor.seq")
    pub = publisher_factory(broker)
    await pub.wait_connected()
    for seq in range(20):
        await pub.publish_wait("plant/seq", str(seq), qos=1)
    await wait_for(lambda: values == [str(i) for i in range(20)])
