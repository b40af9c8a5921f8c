"""MQTT events: ``{"event_type": "press", ...}`` messages on ``state_topic``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from hub.api import EventEntity

from .. import const as c
from ..models import MessageHandler, ReceivedMessage
from .base import LOG, MqttEntity


class MqttEvent(MqttEntity, EventEntity):
    """Records each event whose ``event_type`` is one of ``event_types``."""

    def _apply_platform_config(self, config: Mapping[str, Any]) -> None:
        self._attr_event_types = tuple(config[c.CONF_EVENT_TYPES])

    def _state_handlers(self) -> dict[str, MessageHandler]:
        return {self._config[c.CONF_STATE_TOPIC]: self._on_state}

    def _on_state(self, message: ReceivedMessage) -> None:
        value = self.render_value(message)
        if value is None:
            return
        try:
            data = orjson.loads(value)
        except orjson.JSONDecodeError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("event_type"), str):
            LOG.warning(
                f"event:{message.topic}",
                "Event on %s lacks an event_type: %r",
                message.topic,
                value[:60],
            )
            return
        event_type = data.pop("event_type")
        try:
            self.trigger_event(event_type, data)
        except ValueError as err:
            LOG.warning(f"event:{message.topic}", "%s", err)
            return
        self.invalidate_attributes()
        self.write_state()
