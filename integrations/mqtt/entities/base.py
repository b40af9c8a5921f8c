"""What every MQTT entity shares: naming, subscriptions, availability, JSON attributes,
expiry, commands and in-place reconfiguration.

Platform classes combine :class:`MqttEntity` with a core platform base
(``class MqttSensor(MqttEntity, SensorEntity)``) and implement :meth:`_apply_platform_config`
and :meth:`_state_handlers`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import orjson

from hub.api import Entity, ServiceValidationError

from .. import const as c
from ..models import MessageHandler, ReceivedMessage
from ..ratelimit import RateLimitedLog
from ..runtime import MqttRuntime
from ..templates import TemplateError, template_or_none
from .availability import Availability, AvailabilityTopic, availability_topics

_LOGGER = logging.getLogger(__name__)
PAYLOAD_NONE = "None"
LOG = RateLimitedLog(_LOGGER)


def entity_names(
    config: Mapping[str, Any], device_name: str | None
) -> tuple[str | None, str | None]:
    """``(friendly name, suggested object id)`` the way Home Assistant composes them."""
    name = config.get(c.CONF_NAME)
    if device_name and name:
        # A name that already carries the device name is not prefixed twice.
        already = name == device_name or name.startswith(f"{device_name} ")
        friendly: str | None = name if already else f"{device_name} {name}"
    else:
        friendly = name or device_name
    object_id = config.get(c.CONF_OBJECT_ID) or friendly or config.get(c.CONF_UNIQUE_ID)
    return friendly, object_id


class MqttEntity(Entity):
    """Base of the MQTT platform entities (always listed first among the bases)."""

    def __init__(
        self,
        runtime: MqttRuntime,
        config: Mapping[str, Any],
        *,
        device_id: str | None = None,
        device_name: str | None = None,
    ) -> None:
        self._runtime = runtime
        self._config: Mapping[str, Any] = config
        self._device_name = device_name
        self._unsubs: list[Callable[[], None]] = []
        self._attrs_cache: Mapping[str, Any] | None = None
        self._json_attrs: dict[str, Any] | None = None
        self._cancel_expiry: Callable[[], None] | None = None
        self._last_seen = 0.0
        self._expired = False
        self._attr_device_id = device_id
        self._apply_config(config)

    # -- configuration -------------------------------------------------------------------
    @property
    def config(self) -> Mapping[str, Any]:
        """The validated configuration this entity was built from."""
        return self._config

    def _apply_config(self, config: Mapping[str, Any]) -> None:
        self._config = config
        friendly, object_id = entity_names(config, self._device_name)
        self._attr_unique_id = config.get(c.CONF_UNIQUE_ID)
        self._attr_name = friendly
        self._attr_suggested_object_id = object_id
        self._attr_icon = config.get(c.CONF_ICON)
        self._attr_entity_category = config.get(c.CONF_ENTITY_CATEGORY)
        self._attr_device_class = config.get(c.CONF_DEVICE_CLASS)
        self._attr_force_update = config.get(c.CONF_FORCE_UPDATE, False)
        self._qos: int = config[c.CONF_QOS]
        self._encoding: str = config[c.CONF_ENCODING]
        self._value_template = template_or_none(config.get(c.CONF_VALUE_TEMPLATE))
        self._command_template = template_or_none(config.get(c.CONF_COMMAND_TEMPLATE))
        self._attrs_template = template_or_none(config.get(c.CONF_JSON_ATTRS_TEMPLATE))
        self._availability = Availability(
            availability_topics(config), config[c.CONF_AVAILABILITY_MODE]
        )
        self._expire_after: int | None = config.get(c.CONF_EXPIRE_AFTER) or None
        self._optimistic: bool = config.get(
            c.CONF_OPTIMISTIC, config.get(c.CONF_STATE_TOPIC) is None
        )
        self._attrs_cache = None
        self._apply_platform_config(config)

    def _apply_platform_config(self, config: Mapping[str, Any]) -> None:
        """Read the platform's own keys (called at creation and on reconfiguration)."""

    def _state_handlers(self) -> dict[str, MessageHandler]:
        """The platform's state topics and their handlers."""
        return {}

    def reconfigure(self, config: Mapping[str, Any], device_name: str | None) -> None:
        """Apply a changed configuration in place (a discovery update); keep the value."""
        self._unsubscribe()
        self._device_name = device_name
        previous = self._availability
        self._apply_config(config)
        self._availability.adopt(previous)
        self._subscribe()
        self.write_state()

    # -- lifecycle -----------------------------------------------------------------------
    async def async_added(self) -> None:
        """Subscribe to state, availability and attribute topics."""
        self._subscribe()
        if self._expire_after:
            self._expired = True

    async def async_will_remove(self) -> None:
        """Drop subscriptions and timers."""
        self._unsubscribe()

    def _subscribe(self) -> None:
        runtime, qos = self._runtime, self._qos
        for topic, handler in self._state_handlers().items():
            self._unsubs.append(runtime.subscribe(topic, handler, qos, shared=True))
        for source in self._availability.topics:
            self._unsubs.append(
                runtime.subscribe(source.topic, self._availability_handler(source), qos)
            )
        if (attrs_topic := self._config.get(c.CONF_JSON_ATTRS_TOPIC)) is not None:
            self._unsubs.append(runtime.subscribe(attrs_topic, self._on_attributes, qos))

    def _unsubscribe(self) -> None:
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        if self._cancel_expiry is not None:
            self._cancel_expiry()
            self._cancel_expiry = None

    # -- state ---------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        """Available per the availability topics, and not expired."""
        return self._availability.available and not self._expired

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """The attributes from ``json_attributes_topic``."""
        return self._json_attrs

    def state_attributes(self) -> Mapping[str, Any]:
        """Cached: rebuilt only after something other than the value changed. Read-only,
        so the state machine keeps it as it is and compares it by identity."""
        if self._attrs_cache is None:
            self._attrs_cache = MappingProxyType(dict(super().state_attributes()))
        return self._attrs_cache

    def invalidate_attributes(self) -> None:
        """Rebuild the attributes on the next write."""
        self._attrs_cache = None

    def render_value(self, message: ReceivedMessage) -> str | None:
        """The payload through ``value_template``; None (logged) if the template fails."""
        template = self._value_template
        if template is None:
            if self._encoding == "utf-8":
                return message.text
            return message.payload.decode(self._encoding, "replace")
        try:
            return template.render(message)
        except TemplateError as err:
            LOG.warning(f"template:{self._config.get(c.CONF_STATE_TOPIC)}", "%s", err)
            return None

    def mark_seen(self) -> None:
        """A state message arrived: reset ``expire_after``."""
        if self._expire_after is None:
            return
        clock = self._runtime.hub.clock
        self._last_seen = clock.time()
        self._expired = False
        if self._cancel_expiry is None:
            self._cancel_expiry = clock.call_later(self._expire_after, self._check_expiry)

    def _check_expiry(self) -> None:
        self._cancel_expiry = None
        if self._expire_after is None or not self.added:
            return
        clock = self._runtime.hub.clock
        remaining = self._last_seen + self._expire_after - clock.time()
        if remaining > 0:
            self._cancel_expiry = clock.call_later(remaining, self._check_expiry)
            return
        self._expired = True
        self.write_state()

    def _availability_handler(self, source: AvailabilityTopic) -> MessageHandler:
        def handle(message: ReceivedMessage) -> None:
            if self._availability.update(source, message) and self.added:
                self.write_state()

        return handle

    def _on_attributes(self, message: ReceivedMessage) -> None:
        try:
            if self._attrs_template is not None:
                data = orjson.loads(self._attrs_template.render(message))
            else:
                data = message.json
        except (ValueError, TemplateError) as err:
            LOG.warning(
                f"attrs:{message.topic}", "Bad JSON attributes on %s: %s", message.topic, err
            )
            return
        if not isinstance(data, dict):
            LOG.warning(
                f"attrs:{message.topic}", "JSON attributes on %s are not an object", message.topic
            )
            return
        self._json_attrs = data
        self.invalidate_attributes()
        if self.added:
            self.write_state()

    # -- commands ------------------------------------------------------------------------
    async def publish_command(self, value: Any, *, topic_key: str = c.CONF_COMMAND_TOPIC) -> None:
        """Render ``command_template`` (``value``) and publish to the command topic."""
        topic = self._config.get(topic_key)
        if topic is None:
            raise ServiceValidationError(f"{self.entity_id} has no {topic_key}")
        payload = value if isinstance(value, str) else str(value)
        if self._command_template is not None:
            payload = self._command_template.render_with({"value": value})
        await self._runtime.publish(
            topic, payload, self._qos, self._config.get(c.CONF_RETAIN, False)
        )
