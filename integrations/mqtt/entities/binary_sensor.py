"""MQTT binary sensors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hub.api import BinarySensorEntity

from .. import const as c
from ..models import MessageHandler, ReceivedMessage
from .base import LOG, PAYLOAD_NONE, MqttEntity


class MqttBinarySensor(MqttEntity, BinarySensorEntity):
    """On when ``payload_on`` arrives, off for ``payload_off`` (or after ``off_delay``)."""

    _cancel_off: Callable[[], None] | None = None

    def _apply_platform_config(self, config: Mapping[str, Any]) -> None:
        self._payload_on: str = config[c.CONF_PAYLOAD_ON]
        self._payload_off: str = config[c.CONF_PAYLOAD_OFF]
        self._off_delay: int | None = config.get(c.CONF_OFF_DELAY)

    def _state_handlers(self) -> dict[str, MessageHandler]:
        topic = self._config.get(c.CONF_STATE_TOPIC)
        return {} if topic is None else {topic: self._on_state}

    def _on_state(self, message: ReceivedMessage) -> None:
        value = self.render_value(message)
        if value is None:
            return
        if value == self._payload_on:
            self._attr_is_on = True
        elif value == self._payload_off:
            self._attr_is_on = False
        elif value in ("", PAYLOAD_NONE):
            self._attr_is_on = None
        else:
            LOG.warning(
                f"binary:{message.topic}",
                "Binary sensor on %s got %r, neither %r nor %r",
                message.topic,
                value[:60],
                self._payload_on,
                self._payload_off,
            )
            return
        self.mark_seen()
        self.write_state()
        if self._attr_is_on and self._off_delay:
            if self._cancel_off is not None:
                self._cancel_off()
            self._cancel_off = self._runtime.hub.clock.call_later(self._off_delay, self._turn_off)

    def _turn_off(self) -> None:
        self._cancel_off = None
        if self.added:
            self._attr_is_on = False
            self.write_state()

    async def async_will_remove(self) -> None:
        """Also cancel a pending ``off_delay``."""
        if self._cancel_off is not None:
            self._cancel_off()
            self._cancel_off = None
        await super().async_will_remove()
