"""MQTT selects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.api import SelectEntity

from .. import const as c
from ..models import MessageHandler, ReceivedMessage
from .base import LOG, PAYLOAD_NONE, MqttEntity


class MqttSelect(MqttEntity, SelectEntity):
    """One of ``options``: follows ``state_topic``, publishes the chosen option."""

    def _apply_platform_config(self, config: Mapping[str, Any]) -> None:
        self._attr_options = tuple(config[c.CONF_OPTIONS])

    def _state_handlers(self) -> dict[str, MessageHandler]:
        topic = self._config.get(c.CONF_STATE_TOPIC)
        return {} if topic is None else {topic: self._on_state}

    def _on_state(self, message: ReceivedMessage) -> None:
        value = self.render_value(message)
        if value is None:
            return
        if value == PAYLOAD_NONE:
            self._attr_current_option = None
        elif value in self._attr_options:
            self._attr_current_option = value
        else:
            LOG.warning(
                f"select:{message.topic}",
                "Select on %s got %r, not an option",
                message.topic,
                value[:60],
            )
            return
        self.write_state()

    async def async_select_option(self, option: str) -> None:
        """Publish the option."""
        await self.publish_command(option)
        if self._optimistic:
            self._attr_current_option = option
            self.write_state()
