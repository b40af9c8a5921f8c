"""The ``alert.<id>`` entity: Home Assistant's on/off/idle state plus the alarm attributes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final, Protocol

from hub.entity.entity import Entity

PLATFORM: Final = "alert"


class AlertSource(Protocol):
    """What the entity shows; implemented by the alert's runtime."""

    @property
    def entity_state(self) -> str:
        """``on`` (firing, not acknowledged), ``off`` (firing, acknowledged) or ``idle``."""

    def entity_attributes(self) -> Mapping[str, Any]:
        """severity, isa_state, acknowledged, shelved, shelve_until, occurrence_id, …"""


class AlertEntity(Entity):
    """One alert as an entity; its id is ``alert.<alert id>``."""

    platform: ClassVar[str] = PLATFORM

    def __init__(self, alert_id: str, name: str, source: AlertSource) -> None:
        self._attr_suggested_object_id = alert_id
        self._attr_name = name
        self._source = source

    @property
    def state(self) -> str:
        """``on``, ``off`` or ``idle``, as Home Assistant shows an alert."""
        return self._source.entity_state

    @property
    def extra_state_attributes(self) -> Mapping[str, Any]:
        """The alarm attributes from the runtime."""
        return self._source.entity_attributes()
