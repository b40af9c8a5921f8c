"""MQTT entity classes by platform."""

from __future__ import annotations

from .base import MqttEntity
from .binary_sensor import MqttBinarySensor
from .button import MqttButton
from .event import MqttEvent
from .number import MqttNumber
from .select import MqttSelect
from .sensor import MqttSensor
from .switch import MqttSwitch
from .text import MqttText
from .update import MqttUpdate

ENTITY_CLASSES: dict[str, type[MqttEntity]] = {
    "sensor": MqttSensor,
    "binary_sensor": MqttBinarySensor,
    "switch": MqttSwitch,
    "number": MqttNumber,
    "button": MqttButton,
    "select": MqttSelect,
    "text": MqttText,
    "event": MqttEvent,
    "update": MqttUpdate,
}

__all__ = ["ENTITY_CLASSES", "MqttEntity"]
