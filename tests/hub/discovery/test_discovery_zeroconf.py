"""The zeroconf browser: real mDNS on loopback, dispatched to the integration that asked."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from zeroconf import ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

from hub.api import ZeroconfDiscovery, hookimpl
from hub.core.hub import Hub
from hub.discovery import component
from hub.discovery.zeroconf_browser import ZEROCONF_BROWSER, zeroconf_scan

TYPE = "_fieldhub-test._tcp.local."


class Recorder:
    """A plugin that records its discoveries."""

    def __init__(self) -> None:
        self.seen: list[ZeroconfDiscovery] = []
        self.changed = asyncio.Event()

    @hookimpl
    def fieldhub_zeroconf_discovered(self, hub: Hub, discovery: ZeroconfDiscovery) -> None:
        self.seen.append(discovery)
        self.changed.set()


def service(port: int, **txt: str) -> ServiceInfo:
    return ServiceInfo(
        TYPE,
        f"node-1.{TYPE}",
        addresses=[socket.inet_aton("127.0.0.1")],
        port=port,
        properties=txt,
        server="node-1.local.",
    )


async def wait_for(plugin: Recorder, count: int) -> None:
    async with asyncio.timeout(10):
        while len(plugin.seen) < count:
            plugin.changed.clear()
            await plugin.changed.wait()


def test_config_schema_accepts_empty_and_fills_defaults() -> None:
    assert component.CONFIG_SCHEMA(None) == {"enabled": True, "interfaces": []}
    assert component.CONFIG_SCHEMA({"interfaces": "127.0.0.1"})["interfaces"] == ["127.0.0.1"]


async def test_disabled_section_starts_nothing(hub: Hub) -> None:
    await component.async_setup(hub, {"enabled": False})
    assert ZEROCONF_BROWSER not in hub.data


async def test_add_update_remove_are_dispatched(hub: Hub, register_plugin: Any) -> None:
    plugin = Recorder()
    other = Recorder()
    register_plugin(plugin, {"domain": "demo", "name": "Demo", "version": "1", "zeroconf": [TYPE]})
    register_plugin(other, {"domain": "other", "name": "Other", "version": "1"})
    await component.async_setup(hub, {"interfaces": ["127.0.0.1"]})
    node = AsyncZeroconf(interfaces=["127.0.0.1"])
    try:
        await node.async_register_service(service(8080, mac="a4:cf:12:0b:9e:01", paired="0"))
        await wait_for(plugin, 1)
        first = plugin.seen[0]
        assert (first.name, first.type, first.port) == (f"node-1.{TYPE}", TYPE, 8080)
        assert first.host == "127.0.0.1"
        assert first.properties["mac"] == "a4:cf:12:0b:9e:01"
        assert not first.removed

        await node.async_update_service(service(8080, mac="a4:cf:12:0b:9e:01", paired="1"))
        await wait_for(plugin, 2)
        assert plugin.seen[-1].properties["paired"] == "1"

        found = await zeroconf_scan(hub, [TYPE], 1.0)
        assert [d.name for d in found] == [f"node-1.{TYPE}"]

        await node.async_unregister_all_services()
        await wait_for(plugin, 3)
        assert plugin.seen[-1].removed
        assert plugin.seen[-1].port == 8080
    finally:
        await node.async_close()
    assert other.seen == []
