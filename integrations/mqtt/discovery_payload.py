"""Pure functions for discovery topics and payloads: parse, expand abbreviations, apply ``~``.

Order as in Home Assistant: expand abbreviations at the root, in ``device``, ``origin`` and
each ``availability`` item first, then substitute ``~`` at either end of ``…topic`` keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import const as c
from .abbreviations import ABBREVIATIONS, DEVICE_ABBREVIATIONS, ORIGIN_ABBREVIATIONS

_TOPIC = re.compile(
    r"^(?P<component>\w+)/(?:(?P<node_id>[a-zA-Z0-9_-]+)/)?(?P<object_id>[a-zA-Z0-9_-]+)/config$"
)


@dataclass(frozen=True, slots=True)
class DiscoveryTopic:
    """A parsed ``<prefix>/<component>/[<node_id>/]<object_id>/config`` topic."""

    component: str
    node_id: str | None
    object_id: str

    @property
    def discovery_id(self) -> str:
        """``node_id object_id`` (or just ``object_id``)."""
        return f"{self.node_id} {self.object_id}" if self.node_id else self.object_id


def parse_topic(prefix: str, topic: str) -> DiscoveryTopic | None:
    """The parts of a discovery config topic, or None for other topics under the prefix."""
    if not topic.startswith(prefix + "/"):
        return None
    match = _TOPIC.match(topic[len(prefix) + 1 :])
    if match is None:
        return None
    return DiscoveryTopic(match["component"], match["node_id"], match["object_id"])


def _expand(data: dict[str, Any], table: Mapping[str, str]) -> dict[str, Any]:
    return {table.get(key, key): value for key, value in data.items()}


def _replace_base(data: dict[str, Any], base: str) -> None:
    for key, value in list(data.items()):
        if not isinstance(value, str) or not value or not key.endswith("topic"):
            continue
        if value[0] == c.DISCOVERY_BASE:
            value = base + value[1:]
        if value[-1] == c.DISCOVERY_BASE:
            value = value[:-1] + base
        data[key] = value


def expand_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Expand abbreviations and ``~`` of one entity (or device) payload."""
    data = _expand(dict(payload), ABBREVIATIONS)
    base = data.pop(c.DISCOVERY_BASE, None)
    device = data.get(c.CONF_DEVICE)
    if isinstance(device, dict):
        device = _expand(device, DEVICE_ABBREVIATIONS)
        if isinstance(device.get(c.CONF_IDENTIFIERS), str):
            device[c.CONF_IDENTIFIERS] = [device[c.CONF_IDENTIFIERS]]
        data[c.CONF_DEVICE] = device
    origin = data.get(c.DISCOVERY_ORIGIN)
    if isinstance(origin, dict):
        data[c.DISCOVERY_ORIGIN] = _expand(origin, ORIGIN_ABBREVIATIONS)
    availability = data.get(c.CONF_AVAILABILITY)
    if isinstance(availability, list):
        items = [_expand(i, ABBREVIATIONS) if isinstance(i, dict) else i for i in availability]
        if isinstance(base, str):
            for item in items:
                if isinstance(item, dict):
                    _replace_base(item, base)
        data[c.CONF_AVAILABILITY] = items
    components = data.get("cmps")
    if isinstance(components, dict):
        data.pop("cmps")
        data[c.DISCOVERY_COMPONENTS] = {
            key: _expand(value, ABBREVIATIONS) if isinstance(value, dict) else value
            for key, value in components.items()
        }
    if isinstance(base, str):
        _replace_base(data, base)
        for component in (data.get(c.DISCOVERY_COMPONENTS) or {}).values():
            if isinstance(component, dict):
                _replace_base(component, base)
    return data


def split_device_payload(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per-component payloads of a device-based config; root keys are shared by all."""
    shared = {key: value for key, value in data.items() if key != c.DISCOVERY_COMPONENTS}
    components: Mapping[str, Any] = data.get(c.DISCOVERY_COMPONENTS) or {}
    return {
        comp_id: {**shared, **component}
        for comp_id, component in components.items()
        if isinstance(component, dict)
    }


def is_removal_stub(component: Mapping[str, Any]) -> bool:
    """A device-based component reduced to its platform means 'remove this component'."""
    return set(component) <= {c.DISCOVERY_PLATFORM}
