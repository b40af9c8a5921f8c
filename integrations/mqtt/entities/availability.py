"""Availability of an MQTT entity from one or more topics, in mode all, any or latest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import const as c
from ..models import ReceivedMessage
from ..templates import TemplateError, ValueTemplate, template_or_none


@dataclass(frozen=True, slots=True)
class AvailabilityTopic:
    """One availability source."""

    topic: str
    payload_available: str
    payload_not_available: str
    template: ValueTemplate | None


def availability_topics(config: Mapping[str, Any]) -> tuple[AvailabilityTopic, ...]:
    """Sources from ``availability`` (list) and the older ``availability_topic`` keys."""
    found: list[AvailabilityTopic] = []
    if c.CONF_AVAILABILITY_TOPIC in config:
        found.append(
            AvailabilityTopic(
                config[c.CONF_AVAILABILITY_TOPIC],
                config[c.CONF_PAYLOAD_AVAILABLE],
                config[c.CONF_PAYLOAD_NOT_AVAILABLE],
                template_or_none(config.get(c.CONF_AVAILABILITY_TEMPLATE)),
            )
        )
    for item in config.get(c.CONF_AVAILABILITY) or ():
        found.append(
            AvailabilityTopic(
                item[c.CONF_TOPIC],
                item[c.CONF_PAYLOAD_AVAILABLE],
                item[c.CONF_PAYLOAD_NOT_AVAILABLE],
                template_or_none(item.get(c.CONF_VALUE_TEMPLATE)),
            )
        )
    return tuple(found)


class Availability:
    """Tracks each source; unavailable until a source says available (as Home Assistant)."""

    def __init__(self, topics: tuple[AvailabilityTopic, ...], mode: str) -> None:
        self.topics = topics
        self._mode = mode
        self._states: dict[str, bool] = {t.topic: False for t in topics}
        self._latest = False
        self.available = self._combined()
        """The combined availability (kept current: read on every state write)."""

    def _combined(self) -> bool:
        if not self.topics:
            return True
        if self._mode == c.AVAILABILITY_ALL:
            return all(self._states.values())
        if self._mode == c.AVAILABILITY_ANY:
            return any(self._states.values())
        return self._latest

    def adopt(self, previous: Availability) -> None:
        """Keep what ``previous`` knew about the topics both watch (a reconfiguration)."""
        for topic in self._states.keys() & previous._states.keys():
            self._states[topic] = previous._states[topic]
        if previous.topics:
            self._latest = previous._latest
        self.available = self._combined()

    def update(self, source: AvailabilityTopic, message: ReceivedMessage) -> bool:
        """Apply a message from ``source``; True if the combined availability changed."""
        before = self.available
        try:
            payload = source.template.render(message) if source.template else message.text
        except TemplateError:
            return False
        if payload == source.payload_available:
            self._states[source.topic] = self._latest = True
        elif payload == source.payload_not_available:
            self._states[source.topic] = self._latest = False
        self.available = self._combined()
        return self.available != before
