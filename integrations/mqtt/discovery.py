"""Home Assistant MQTT discovery: configs under ``<prefix>/`` become entities and devices.

Messages are queued to one ordered worker (device and entity registration are async);
repeated identical configs cost a dict lookup. Removing a discovered device in the hub
publishes an empty retained config so that the device does not come back.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
import voluptuous as vol

from hub.api import EVENT_DEVICE_REMOVED, Event, HubError, HubKey

from . import const as c
from .discovery_payload import (
    DiscoveryTopic,
    expand_payload,
    is_removal_stub,
    parse_topic,
    split_device_payload,
)
from .entities import ENTITY_CLASSES, MqttEntity
from .models import ReceivedMessage
from .ratelimit import RateLimitedLog
from .runtime import MqttRuntime
from .schema import DISCOVERY_SCHEMAS
from .worker import OrderedWorker

_LOGGER = logging.getLogger(__name__)
DeviceKey = str  # "<component>:<discovery id>[:<component id>]"


@dataclass(slots=True)
class Discovered:
    """One discovered entity and where its config came from."""

    config_topic: str
    platform: str
    entity: MqttEntity
    device_id: str | None


@dataclass(slots=True)
class DiscoveryState:
    """Bookkeeping of what discovery created."""

    entities: dict[str, Discovered] = field(default_factory=dict)
    payloads: dict[str, bytes] = field(default_factory=dict)
    device_topics: dict[str, set[str]] = field(default_factory=dict)
    reported_components: set[str] = field(default_factory=set)


class DiscoveryManager:
    """Subscribes to ``<prefix>/#`` and keeps discovered entities in step with their configs."""

    def __init__(self, runtime: MqttRuntime, prefix: str) -> None:
        self._runtime = runtime
        self._prefix = prefix
        self._state = DiscoveryState()
        self._worker = OrderedWorker(runtime.hub, "mqtt-discovery")
        self._log = RateLimitedLog(_LOGGER)
        self._unsubs: list[Any] = []

    @property
    def entities(self) -> Mapping[str, Discovered]:
        """Discovered entities by discovery key."""
        return self._state.entities

    def start(self) -> None:
        """Subscribe to the discovery prefix and watch for removed devices."""
        self._unsubs.append(self._runtime.subscribe(f"{self._prefix}/#", self._on_message, 1))
        self._unsubs.append(
            self._runtime.hub.bus.listen(EVENT_DEVICE_REMOVED, self._on_device_removed)
        )

    def stop(self) -> None:
        """Unsubscribe and stop the worker."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        self._worker.stop()

    async def idle(self) -> None:
        """Return once every received config has been applied."""
        await self._worker.idle()

    # -- receiving -----------------------------------------------------------------------
    def _on_message(self, message: ReceivedMessage) -> None:
        parsed = parse_topic(self._prefix, message.topic)
        if parsed is None:
            return
        topic = message.topic
        if self._state.payloads.get(topic) == message.payload:
            return
        self._state.payloads[topic] = message.payload
        payload = message.payload
        self._worker.submit(lambda: self._apply(topic, parsed, payload))

    async def _apply(self, topic: str, parsed: DiscoveryTopic, payload: bytes) -> None:
        if not payload:
            self._state.payloads.pop(topic, None)
            await self._remove_topic(topic)
            return
        try:
            data = orjson.loads(payload)
        except orjson.JSONDecodeError as err:
            self._log.warning(f"json:{topic}", "Discovery config on %s is not JSON: %s", topic, err)
            return
        if not isinstance(data, dict):
            self._log.warning(f"json:{topic}", "Discovery config on %s is not an object", topic)
            return
        data = expand_payload(data)
        if parsed.component == c.DEVICE_COMPONENT:
            await self._apply_device(topic, parsed, data)
        else:
            key = f"{parsed.component}:{parsed.discovery_id}"
            await self._apply_entity(topic, key, parsed.component, data)

    async def _apply_device(self, topic: str, parsed: DiscoveryTopic, data: dict[str, Any]) -> None:
        raw = data.get(c.DISCOVERY_COMPONENTS) or {}
        wanted = {}
        for comp_id, config in split_device_payload(data).items():
            key = f"device:{parsed.discovery_id}:{comp_id}"
            if is_removal_stub(raw.get(comp_id, {})):
                continue
            wanted[key] = config
        for key in [k for k, d in self._state.entities.items() if d.config_topic == topic]:
            if key not in wanted:
                await self._remove_key(key)
        for key, config in wanted.items():
            platform = config.pop(c.DISCOVERY_PLATFORM, None)
            if not isinstance(platform, str):
                self._log.warning(
                    f"platform:{topic}", "Component %s on %s names no platform", key, topic
                )
                continue
            await self._apply_entity(topic, key, platform, config)

    async def _apply_entity(
        self, topic: str, key: str, platform: str, data: dict[str, Any]
    ) -> None:
        schema = DISCOVERY_SCHEMAS.get(platform)
        if schema is None:
            if platform not in self._state.reported_components:
                self._state.reported_components.add(platform)
                _LOGGER.warning(
                    "MQTT discovery: component %r is not supported (first seen on %s)",
                    platform,
                    topic,
                )
            return
        try:
            config = schema(data)
        except vol.Invalid as err:
            self._log.warning(
                f"invalid:{topic}", "Discovery config on %s is invalid: %s", topic, err
            )
            return
        device_id, device_name = await self._device_for(config.get(c.CONF_DEVICE))
        existing = self._state.entities.get(key)
        if existing is not None:
            same_identity = (
                existing.platform == platform
                and existing.entity.unique_id == config.get(c.CONF_UNIQUE_ID)
                and existing.device_id == device_id
            )
            if same_identity and existing.entity.added:
                if existing.entity.config != config:
                    existing.entity.reconfigure(config, device_name)
                return
            await self._remove_key(key)
        entity = ENTITY_CLASSES[platform](
            self._runtime, config, device_id=device_id, device_name=device_name
        )
        try:
            await self._runtime.hub.entities.add(c.DOMAIN, [entity])
        except HubError as err:
            self._log.warning(f"add:{topic}", "Discovered entity from %s not added: %s", topic, err)
            return
        self._state.entities[key] = Discovered(topic, platform, entity, device_id)
        if device_id is not None:
            self._state.device_topics.setdefault(device_id, set()).add(topic)

    async def _device_for(self, device: Mapping[str, Any] | None) -> tuple[str | None, str | None]:
        if not device:
            return None, None
        identifiers = [("mqtt", i) for i in device[c.CONF_IDENTIFIERS]]
        identifiers += [(kind, value) for kind, value in device[c.CONF_CONNECTIONS]]
        ids = device[c.CONF_IDENTIFIERS]
        name = device.get(c.CONF_NAME) or (ids[0] if ids else identifiers[0][1])
        # A partial device block (only ids) must not erase what a full one said.
        details = {
            key: device[conf]
            for key, conf in (
                ("manufacturer", c.CONF_MANUFACTURER),
                ("model", c.CONF_MODEL),
                ("sw_version", c.CONF_SW_VERSION),
                ("hw_version", c.CONF_HW_VERSION),
            )
            if device.get(conf) is not None
        }
        entry = await self._runtime.hub.device_registry.get_or_register(
            c.DOMAIN, str(name), identifiers, **details
        )
        return entry.id, device.get(c.CONF_NAME)

    # -- removal -------------------------------------------------------------------------
    async def _remove_topic(self, topic: str) -> None:
        for key in [k for k, d in self._state.entities.items() if d.config_topic == topic]:
            await self._remove_key(key)

    async def _remove_key(self, key: str) -> None:
        discovered = self._state.entities.pop(key, None)
        if discovered is None:
            return
        if discovered.entity.added:
            await self._runtime.hub.entities.remove([discovered.entity.entity_id])

    def _on_device_removed(self, event: Event) -> None:
        device_id = event.data["device_id"]
        topics = self._state.device_topics.pop(device_id, set())
        for key in [k for k, d in self._state.entities.items() if d.device_id == device_id]:
            del self._state.entities[key]
        for topic in topics:
            self._state.payloads.pop(topic, None)
            self._runtime.hub.create_task(
                self._runtime.publish(topic, b"", qos=1, retain=True),
                name=f"mqtt-clear-discovery:{topic}",
            )


MQTT_DISCOVERY: HubKey[DiscoveryManager] = HubKey("mqtt.discovery")
