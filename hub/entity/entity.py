"""The Entity base class: integrations set native values, the platform base owns ``state``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import voluptuous as vol

from hub.core.context import Context
from hub.core.state import STATE_UNAVAILABLE, STATE_UNKNOWN

if TYPE_CHECKING:
    from hub.core.hub import Hub


@dataclass(frozen=True, kw_only=True, slots=True)
class EntityDescription:
    """Static facts about an entity, shared by every instance built from it."""

    key: str
    name: str | None = None
    icon: str | None = None
    device_class: str | None = None
    entity_category: str | None = None
    translation_key: str | None = None


@dataclass(frozen=True, slots=True)
class PlatformService:
    """A service a platform offers on its entities (``switch.turn_on`` → ``async_turn_on``)."""

    name: str
    method: str
    schema: Mapping[Any, Any]


class Entity:
    """Base of every entity.

    Subclasses (platform bases such as :class:`~hub.entity.platforms.sensor.SensorEntity`)
    define ``state`` and ``platform_attributes``; integrations set the ``_attr_*`` values or
    the native value, then call :meth:`write_state`.
    """

    platform: ClassVar[str] = ""
    platform_services: ClassVar[tuple[PlatformService, ...]] = ()

    entity_description: EntityDescription | None = None
    _attr_unique_id: str | None = None
    _attr_name: str | None = None
    _attr_available: bool = True
    _attr_device_id: str | None = None
    _attr_icon: str | None = None
    _attr_device_class: str | None = None
    _attr_entity_category: str | None = None
    _attr_extra_state_attributes: Mapping[str, Any] | None = None
    _attr_force_update: bool = False
    _attr_suggested_object_id: str | None = None

    _hub: Hub | None = None
    _entity_id: str | None = None

    # -- identity ----------------------------------------------------------------------------
    @property
    def unique_id(self) -> str | None:
        """Stable id within the integration; entities with one get a registry entry."""
        return self._attr_unique_id

    @property
    def name(self) -> str | None:
        """Friendly name."""
        if self._attr_name is not None:
            return self._attr_name
        return self.entity_description.name if self.entity_description else None

    @property
    def device_id(self) -> str | None:
        """The device registry id this entity belongs to."""
        return self._attr_device_id

    @property
    def suggested_object_id(self) -> str:
        """What the entity id's object part is generated from."""
        if self._attr_suggested_object_id:
            return self._attr_suggested_object_id
        return self.name or self.unique_id or self.platform

    @property
    def hub(self) -> Hub:
        """The hub this entity was added to."""
        if self._hub is None:
            raise RuntimeError(f"{type(self).__name__} has not been added to a hub")
        return self._hub

    @property
    def entity_id(self) -> str:
        """The entity id assigned when the entity was added."""
        if self._entity_id is None:
            raise RuntimeError(f"{type(self).__name__} has no entity id yet")
        return self._entity_id

    @property
    def added(self) -> bool:
        """True once the entity belongs to a hub."""
        return self._hub is not None

    def attach(self, hub: Hub, entity_id: str) -> None:
        """Called by the entity manager when the entity is added."""
        self._hub = hub
        self._entity_id = entity_id

    def detach(self) -> None:
        """Called by the entity manager when the entity is removed."""
        self._hub = None

    # -- state -------------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        """False marks the entity unavailable."""
        return self._attr_available

    @property
    def state(self) -> str:
        """The state string; platform bases override."""
        return STATE_UNKNOWN

    @property
    def device_class(self) -> str | None:
        """Device class (platform-specific vocabulary)."""
        if self._attr_device_class is not None:
            return self._attr_device_class
        return self.entity_description.device_class if self.entity_description else None

    @property
    def icon(self) -> str | None:
        """Icon name."""
        if self._attr_icon is not None:
            return self._attr_icon
        return self.entity_description.icon if self.entity_description else None

    @property
    def entity_category(self) -> str | None:
        """``diagnostic`` or ``config`` for entities that are not primary readings."""
        if self._attr_entity_category is not None:
            return self._attr_entity_category
        return self.entity_description.entity_category if self.entity_description else None

    @property
    def platform_attributes(self) -> dict[str, Any]:
        """Attributes the platform defines (unit, options…); platform bases override."""
        return {}

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Integration-specific attributes."""
        return self._attr_extra_state_attributes

    @property
    def force_update(self) -> bool:
        """Record every write as a change, even with the same value."""
        return self._attr_force_update

    def state_attributes(self) -> Mapping[str, Any]:
        """Every attribute written with the state (a new dict unless a platform caches it
        read-only)."""
        attrs: dict[str, Any] = {}
        extra = self.extra_state_attributes
        if extra:
            attrs.update(extra)
        attrs.update(self.platform_attributes)
        for key, value in (
            ("device_class", self.device_class),
            ("icon", self.icon),
            ("entity_category", self.entity_category),
            ("friendly_name", self.name),
        ):
            if value is not None:
                attrs[key] = value
        if self.device_id is not None:
            attrs["device_id"] = self.device_id
        return attrs

    def write_state(
        self, *, context: Context | None = None, timestamp: float | None = None
    ) -> None:
        """Publish the entity's current state to the state machine."""
        # Integrations call this for every reading: the attributes directly, not the
        # properties that guard them.
        hub, entity_id = self._hub, self._entity_id
        if hub is None or entity_id is None:
            raise RuntimeError(f"{type(self).__name__} has not been added to a hub")
        state = self.state if self.available else STATE_UNAVAILABLE
        hub.states.set(
            entity_id,
            state,
            self.state_attributes(),
            force_update=self.force_update,
            context=context,
            timestamp=timestamp,
        )

    # -- lifecycle ---------------------------------------------------------------------------
    async def async_added(self) -> None:
        """Called after the entity got its id, before its first state is written."""

    async def async_will_remove(self) -> None:
        """Called before the entity is removed from the hub."""


def entity_service_schema(extra: Mapping[Any, Any]) -> vol.Schema:
    """The schema of an entity service: ``entity_id`` (one or many) plus ``extra`` fields."""
    from hub.config import cv  # local import: config validators load lazily

    return vol.Schema({vol.Required("entity_id"): cv.entity_ids, **extra})
