"""MQTT texts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.api import TextEntity

from .. import const as c
from ..models import MessageHandler, ReceivedMessage
from .base import LOG, MqttEntity


class MqttText(MqttEntity, TextEntity):
    """A settable text: follows ``state_topic``, publishes new text to ``command_topic``."""

    def _apply_platform_config(self, config: Mapping[str, Any]) -> None:
        self._attr_native_min = config[c.CONF_MIN]
        self._attr_native_max = config[c.CONF_MAX]
        self._attr_mode = config[c.CONF_MODE]
        self._attr_pattern = config.get(c.CONF_PATTERN)

    def _state_handlers(self) -> dict[str, MessageHandler]:
        topic = self._config.get(c.CONF_STATE_TOPIC)
        return {} if topic is None else {topic: self._on_state}

    def _on_state(self, message: ReceivedMessage) -> None:
        value = self.render_value(message)
        if value is None:
            return
        if len(value) > self._attr_native_max:
            LOG.warning(
                f"text:{message.topic}",
                "Text on %s is longer than %d characters",
                message.topic,
                self._attr_native_max,
            )
            return
        self._attr_native_value = value
        self.write_state()

    async def async_set_native_value(self, value: str) -> None:
        """Publish the text."""
        await self.publish_command(value)
        if self._optimistic:
            self._attr_native_value = value
            self.write_state()
