"""What discovery hands to integrations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ZeroconfDiscovery:
    """An mDNS service instance as seen by the hub's browser."""

    name: str
    type: str
    addresses: tuple[str, ...]
    port: int | None
    properties: Mapping[str, str] = field(default_factory=dict)
    server: str | None = None
    removed: bool = False

    @property
    def host(self) -> str | None:
        """The first address, preferring IPv4."""
        v4 = [a for a in self.addresses if ":" not in a]
        candidates = v4 or list(self.addresses)
        return candidates[0] if candidates else None


@dataclass(frozen=True, slots=True)
class MqttDiscoveryMessage:
    """A message on a topic an integration's manifest asked for."""

    topic: str
    payload: bytes
    retain: bool = False
    subscribed_topic: str = ""
