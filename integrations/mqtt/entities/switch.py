"""MQTT switches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.api import SwitchEntity

from .. import const as c
from ..models import MessageHandler, ReceivedMessage
from .base import LOG, PAYLOAD_NONE, MqttEntity


class MqttSwitch(MqttEntity, SwitchEntity):
    """Publishes ``payload_on``/``payload_off``; follows ``state_topic`` unless optimistic."""

    def _apply_platform_config(self, config: Mapping[str, Any]) -> None:
        self._payload_on: str = config[c.CONF_PAYLOAD_ON]
        self._payload_off: str = config[c.CONF_PAYLOAD_OFF]
        self._state_on: str = config.get(c.CONF_STATE_ON, self._payload_on)
        self._state_off: str = config.get(c.CONF_STATE_OFF, self._payload_off)

    def _state_handlers(self) -> dict[str, MessageHandler]:
        topic = self._config.get(c.CONF_STATE_TOPIC)
        return {} if topic is None else {topic: self._on_state}

    def _on_state(self, message: ReceivedMessage) -> None:
        value = self.render_value(message)
        if value is None:
            return
        if value == self._state_on:
            self._attr_is_on = True
        elif value == self._state_off:
            self._attr_is_on = False
        elif value == PAYLOAD_NONE:
            self._attr_is_on = None
        else:
            LOG.warning(
                f"switch:{message.topic}",
                "Switch on %s got unexpected %r",
                message.topic,
                value[:60],
            )
            return
        self.write_state()

    async def async_turn_on(self) -> None:
        """Publish ``payload_on``."""
        await self._command(True)

    async def async_turn_off(self) -> None:
        """Publish ``payload_off``."""
        await self._command(False)

    async def _command(self, on: bool) -> None:
        await self.publish_command(self._payload_on if on else self._payload_off)
        if self._optimistic:
            self._attr_is_on = on
            self.write_state()
