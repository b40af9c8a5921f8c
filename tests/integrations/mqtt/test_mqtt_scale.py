"""10,000 discovered entities: all added, routed by topic, and fed in one pass."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from mqtt_helpers import settle, wait_for

from hub.core.hub import Hub
from integrations.mqtt.discovery import MQTT_DISCOVERY

pytestmark = [pytest.mark.mosquitto, pytest.mark.slow]

COUNT = 10_000


async def test_ten_thousand_discovered_entities(
    hub: Hub, broker: Any, setup_mqtt_on: Any, publisher_factory: Any
) -> None:
    runtime = await setup_mqtt_on(broker)
    pub = publisher_factory(broker)
    await pub.wait_connected()
    started = time.monotonic()
    for i in range(COUNT):
        node = f"node{i // 10:04d}"
        config = {
            "name": f"Probe {i % 10}",
            "uniq_id": f"{node}_probe{i % 10}",
            "stat_t": f"~/probe{i % 10}",
            "~": f"farm/{node}",
            "unit_of_meas": "°C",
            "dev_cla": "temperature",
            "dev": {"ids": node, "name": node},
        }
        pub.publish(
            f"homeassistant/sensor/{node}/probe{i % 10}/config", json.dumps(config), 1, True
        )
    discovery = hub.data[MQTT_DISCOVERY]
    await wait_for(lambda: len(discovery.entities) == COUNT, within=60)
    await settle(hub, runtime)
    added = time.monotonic() - started
    assert len(hub.states.entity_ids("sensor")) >= COUNT
    assert len(hub.device_registry.devices("mqtt")) == COUNT // 10

    for i in range(COUNT):
        pub.publish(f"farm/node{i // 10:04d}/probe{i % 10}", str(i % 50), 0)
    await wait_for(lambda: hub.states.get("sensor.node0999_probe_9").state == "49", within=30)
    await settle(hub, runtime)
    assert hub.states.get("sensor.node0000_probe_1").state == "1"
    assert hub.states.get("sensor.node0500_probe_3").state == "3"
    assert added < 30, f"adding {COUNT} discovered entities took {added:.1f} s"
