"""MQTT numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.api import NumberEntity

from .. import const as c
from ..models import MessageHandler, ReceivedMessage
from .base import LOG, PAYLOAD_NONE, MqttEntity


class MqttNumber(MqttEntity, NumberEntity):
    """A settable number: values arrive on ``state_topic``, commands go to ``command_topic``."""

    def _apply_platform_config(self, config: Mapping[str, Any]) -> None:
        self._attr_native_min_value = config[c.CONF_MIN]
        self._attr_native_max_value = config[c.CONF_MAX]
        self._attr_native_step = config[c.CONF_STEP]
        self._attr_mode = config[c.CONF_MODE]
        self._attr_native_unit_of_measurement = config.get(c.CONF_UNIT)

    def _state_handlers(self) -> dict[str, MessageHandler]:
        topic = self._config.get(c.CONF_STATE_TOPIC)
        return {} if topic is None else {topic: self._on_state}

    def _on_state(self, message: ReceivedMessage) -> None:
        value = self.render_value(message)
        if value is None:
            return
        if value == PAYLOAD_NONE:
            self._attr_native_value = None
        else:
            try:
                number = float(value)
            except ValueError:
                LOG.warning(
                    f"number:{message.topic}", "Number on %s got %r", message.topic, value[:60]
                )
                return
            if not self._attr_native_min_value <= number <= self._attr_native_max_value:
                LOG.warning(
                    f"range:{message.topic}",
                    "Number on %s: %s is out of range",
                    message.topic,
                    number,
                )
                return
            self._attr_native_value = number
        self.write_state()

    async def async_set_native_value(self, value: float) -> None:
        """Publish the value (as an integer when it is whole)."""
        await self.publish_command(int(value) if float(value).is_integer() else value)
        if self._optimistic:
            self._attr_native_value = value
            self.write_state()
