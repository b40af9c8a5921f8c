"""The entity manager: adds entities to the hub, assigns ids, routes platform services."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from hub.core.bus import Event
from hub.core.errors import HubError, ServiceValidationError
from hub.core.events import EVENT_DEVICE_REMOVED
from hub.core.services import ServiceCall
from hub.entity.entity import Entity, entity_service_schema
from hub.entity.naming import slugify

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)


class EntityManager:
    """Owns every live entity object and its link to an integration."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._entities: dict[str, Entity] = {}
        self._integration_of: dict[str, str] = {}
        self._platform_types: dict[str, type[Entity]] = {}
        self._platforms_with_services: set[str] = set()
        hub.bus.listen(EVENT_DEVICE_REMOVED, self._device_removed)

    def get(self, entity_id: str) -> Entity | None:
        """The entity object behind ``entity_id``."""
        return self._entities.get(entity_id)

    def entities(self, integration: str | None = None) -> list[Entity]:
        """Live entities, optionally of one integration."""
        return [
            e
            for eid, e in self._entities.items()
            if integration is None or self._integration_of[eid] == integration
        ]

    def integration_of(self, entity_id: str) -> str | None:
        """The integration that added ``entity_id``."""
        return self._integration_of.get(entity_id)

    def register_platform(self, platform: str, base: type[Entity]) -> None:
        """Make an entity platform known (core platforms and plugin-supplied ones)."""
        self._platform_types[platform] = base

    def platforms(self) -> dict[str, type[Entity]]:
        """Known entity platforms."""
        return dict(self._platform_types)

    async def add(self, integration: str, entities: Iterable[Entity]) -> list[str]:
        """Add entities: give each an entity id, announce it, write its first state."""
        added: list[str] = []
        for entity in entities:
            entity_id = await self._assign_id(integration, entity)
            if entity_id in self._entities:
                raise HubError(f"{entity_id} is already provided by another entity")
            entity.attach(self._hub, entity_id)
            self._entities[entity_id] = entity
            self._integration_of[entity_id] = integration
            self._ensure_platform_services(type(entity))
            try:
                await entity.async_added()
                entity.write_state()
            except Exception:
                self._entities.pop(entity_id, None)
                self._integration_of.pop(entity_id, None)
                entity.detach()
                raise
            added.append(entity_id)
        return added

    async def _assign_id(self, integration: str, entity: Entity) -> str:
        platform = entity.platform
        if not platform:
            raise HubError(f"{type(entity).__name__} does not name its platform")
        if entity.unique_id is not None:
            entry = await self._hub.entity_registry.get_or_create(
                integration,
                platform,
                entity.unique_id,
                suggested_object_id=entity.suggested_object_id,
                device_id=entity.device_id,
                original_name=entity.name,
                taken=lambda eid: eid in self._entities or eid in self._hub.states,
            )
            return entry.entity_id
        base = f"{platform}.{slugify(entity.suggested_object_id)}"
        candidate, n = base, 2
        while (
            candidate in self._entities
            or candidate in self._hub.states
            or self._hub.entity_registry.get(candidate) is not None
        ):
            candidate = f"{base}_{n}"
            n += 1
        return candidate

    async def remove(self, entity_ids: Iterable[str], *, forget: bool = False) -> None:
        """Remove live entities and their states; ``forget`` also deletes registry entries."""
        ids = list(entity_ids)
        for entity_id in ids:
            entity = self._entities.pop(entity_id, None)
            self._integration_of.pop(entity_id, None)
            if entity is not None:
                try:
                    await entity.async_will_remove()
                except Exception:
                    _LOGGER.exception("Error removing %s", entity_id)
                entity.detach()
            self._hub.states.remove(entity_id)
        if forget:
            await self._hub.entity_registry.remove(ids)

    async def remove_integration(self, integration: str) -> None:
        """Remove every live entity of an integration (its registry entries stay)."""
        await self.remove(
            [eid for eid, owner in self._integration_of.items() if owner == integration]
        )

    def _ensure_platform_services(self, cls: type[Entity]) -> None:
        platform = cls.platform
        if platform in self._platforms_with_services or not cls.platform_services:
            return
        self._platforms_with_services.add(platform)
        for spec in cls.platform_services:
            self._hub.services.register(
                platform,
                spec.name,
                self._make_handler(platform, spec.method),
                entity_service_schema(spec.schema),
                description=f"{spec.name.replace('_', ' ')} on {platform} entities",
            )

    def _make_handler(self, platform: str, method: str) -> Any:
        async def handle(call: ServiceCall) -> None:
            data = dict(call.data)
            entity_ids: list[str] = data.pop("entity_id")
            for entity_id in entity_ids:
                entity = self._entities.get(entity_id)
                if entity is None or entity.platform != platform:
                    raise ServiceValidationError(f"{entity_id} is not a {platform} entity here")
                try:
                    await getattr(entity, method)(**data)
                except NotImplementedError as err:
                    # A platform base's method the entity does not override: a refusal the
                    # caller can act on, not a server error.
                    raise ServiceValidationError(str(err)) from err

        return handle

    def _device_removed(self, event: Event) -> None:
        device_id = event.data["device_id"]
        ids = [eid for eid, e in self._entities.items() if e.device_id == device_id]
        if ids:
            self._hub.tasks.create(self.remove(ids), name=f"remove-device-entities:{device_id}")
