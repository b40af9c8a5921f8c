"""Nodes seen on the network, offered for pairing."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from hub.api import ZeroconfDiscovery

from .protocol import ProtocolError, parse_txt

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DiscoveredNode:
    """One advertising node: where to reach its config server and what it says of itself."""

    mac: str
    name: str
    host: str
    port: int
    model: str | None
    fw: str | None
    paired: bool
    device_id: str | None

    def as_dict(self, *, known_device: bool) -> dict[str, Any]:
        """JSON for the API; ``status`` is unpaired, paired (here) or paired_elsewhere."""
        status = "unpaired" if not self.paired else "paired" if known_device else "paired_elsewhere"
        return {
            "mac": self.mac,
            "name": self.name,
            "host": self.host,
            "port": self.port,
            "model": self.model,
            "fw": self.fw,
            "paired": self.paired,
            "device_id": self.device_id,
            "status": status,
        }


def node_from_discovery(discovery: ZeroconfDiscovery) -> DiscoveredNode | None:
    """Read a node's advertisement; None when it lacks a valid ``mac`` or an address."""
    try:
        advert = parse_txt(discovery.properties)
    except ProtocolError as err:
        _LOGGER.debug("Ignoring %s: %s", discovery.name, err.detail)
        return None
    host = discovery.host
    if host is None or discovery.port is None:
        return None
    return DiscoveredNode(
        mac=advert.mac,
        name=discovery.name.split(".", 1)[0],
        host=host,
        port=discovery.port,
        model=advert.model,
        fw=advert.fw,
        paired=advert.paired,
        device_id=advert.device_id,
    )


class DiscoveredNodes:
    """The current advertisements, keyed by MAC and by mDNS instance name."""

    def __init__(self) -> None:
        self._by_mac: dict[str, DiscoveredNode] = {}
        self._mac_of: dict[str, str] = {}
        self._waiters: dict[str, list[asyncio.Future[DiscoveredNode]]] = {}

    def handle(self, discovery: ZeroconfDiscovery) -> DiscoveredNode | None:
        """Apply an add, update or removal; return the node added or updated."""
        if discovery.removed:
            mac = self._mac_of.pop(discovery.name, None)
            if mac is not None:
                self._by_mac.pop(mac, None)
            return None
        node = node_from_discovery(discovery)
        if node is None:
            return None
        self._by_mac[node.mac] = node
        self._mac_of[discovery.name] = node.mac
        for waiter in self._waiters.pop(node.mac, []):
            if not waiter.done():
                waiter.set_result(node)
        return node

    async def wait_for(self, mac: str) -> DiscoveredNode:
        """The node advertising ``mac``, once it has been seen (wrap in a timeout)."""
        known = self._by_mac.get(mac)
        if known is not None:
            return known
        waiter: asyncio.Future[DiscoveredNode] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(mac, []).append(waiter)
        try:
            return await waiter
        finally:
            waiters = self._waiters.get(mac, [])
            if waiter in waiters:
                waiters.remove(waiter)

    def get(self, mac: str) -> DiscoveredNode | None:
        """The node advertising ``mac``."""
        return self._by_mac.get(mac)

    def nodes(self) -> list[DiscoveredNode]:
        """Every node, in MAC order."""
        return [self._by_mac[m] for m in sorted(self._by_mac)]
