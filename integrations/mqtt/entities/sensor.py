"""MQTT sensors."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from hub.api import SensorEntity

from .. import const as c
from ..models import MessageHandler, ReceivedMessage
from ..schema import DEVICE_CLASS_UNITS
from .base import LOG, PAYLOAD_NONE, MqttEntity

_LOGGER = logging.getLogger(__name__)


class MqttSensor(MqttEntity, SensorEntity):
    """A sensor whose value arrives on ``state_topic``."""

    def _apply_platform_config(self, config: Mapping[str, Any]) -> None:
        self._attr_native_unit_of_measurement = config.get(c.CONF_UNIT)
        self._attr_state_class = config.get(c.CONF_STATE_CLASS)
        self._attr_suggested_display_precision = config.get("suggested_display_precision")
        self._numeric = self._attr_native_unit_of_measurement is not None or (
            self._attr_state_class is not None
        )
        expected = DEVICE_CLASS_UNITS.get(self._attr_device_class or "")
        unit = self._attr_native_unit_of_measurement
        if expected is not None and unit is not None and unit not in expected:
            _LOGGER.warning(
                "Sensor %s has device class %s with unit %s (expected one of %s); kept as is",
                self._attr_suggested_object_id,
                self._attr_device_class,
                unit,
                ", ".join(sorted(expected)),
            )

    def _state_handlers(self) -> dict[str, MessageHandler]:
        topic = self._config.get(c.CONF_STATE_TOPIC)
        return {} if topic is None else {topic: self._on_state}

    def _on_state(self, message: ReceivedMessage) -> None:
        value = self.render_value(message)
        if value is None:
            return
        if value in ("", PAYLOAD_NONE):
            self._attr_native_value = None
        elif self._numeric:
            try:
                float(value)
            except ValueError:
                LOG.warning(
                    f"numeric:{message.topic}",
                    "Sensor on %s expects a number, got %r",
                    message.topic,
                    value[:60],
                )
                return
            self._attr_native_value = value
        else:
            self._attr_native_value = value
        self.mark_seen()
        self.write_state()
