"""Entity platforms of the core: the base class for each kind of entity."""

from __future__ import annotations

from hub.entity.entity import Entity
from hub.entity.platforms.binary_sensor import BinarySensorEntity
from hub.entity.platforms.button import ButtonEntity
from hub.entity.platforms.event import EventEntity
from hub.entity.platforms.number import NumberEntity
from hub.entity.platforms.select import SelectEntity
from hub.entity.platforms.sensor import SensorEntity
from hub.entity.platforms.switch import SwitchEntity
from hub.entity.platforms.text import TextEntity
from hub.entity.platforms.update import UpdateEntity

CORE_PLATFORMS: dict[str, type[Entity]] = {
    cls.platform: cls
    for cls in (
        SensorEntity,
        BinarySensorEntity,
        SwitchEntity,
        NumberEntity,
        ButtonEntity,
        SelectEntity,
        TextEntity,
        EventEntity,
        UpdateEntity,
    )
}

__all__ = [
    "CORE_PLATFORMS",
    "BinarySensorEntity",
    "ButtonEntity",
    "EventEntity",
    "NumberEntity",
    "SelectEntity",
    "SensorEntity",
    "SwitchEntity",
    "TextEntity",
    "UpdateEntity",
]
