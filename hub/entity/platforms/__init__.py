"""Entity platforms of the core: the base class for each kind of entity."""

from __future__ import annotations

from hub.entity.entity import Entity
from hub.entity.platforms.binary_sensor import BinarySensorEntity
from hub.entity.platforms.number import NumberEntity
from hub.entity.platforms.sensor import SensorEntity
from hub.entity.platforms.switch import SwitchEntity

CORE_PLATFORMS: dict[str, type[Entity]] = {
    cls.platform: cls
    for cls in (SensorEntity, BinarySensorEntity, SwitchEntity, NumberEntity)
}

__all__ = ["CORE_PLATFORMS", "BinarySensorEntity", "NumberEntity", "SensorEntity", "SwitchEntity"]
