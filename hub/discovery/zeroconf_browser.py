"""mDNS browsing: watch the service types integrations listed and hand each change over.

One :class:`ZeroconfBrowser` runs per hub (entered with ``hub.enter``). It browses every
``zeroconf`` type found in the installed integrations' manifests, resolves each added or
updated instance, and calls ``fieldhub_zeroconf_discovered`` on the integrations that listed
the type. :func:`zeroconf_scan` runs a short, one-off browse and returns what answered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from zeroconf import InterfaceChoice, IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from hub.core.keys import HubKey
from hub.discovery.models import ZeroconfDiscovery

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)

HOOK = "fieldhub_zeroconf_discovered"
RESOLVE_TIMEOUT_MS = 3000
Interfaces = InterfaceChoice | list[str]


def service_types_by_domain(manifests: Mapping[str, Any]) -> dict[str, list[str]]:
    """Map each service type to the integration domains whose manifest lists it."""
    owners: dict[str, list[str]] = {}
    for domain, manifest in sorted(manifests.items()):
        for service_type in manifest.zeroconf:
            owners.setdefault(service_type, []).append(domain)
    return owners


def _decode(value: bytes | None) -> str:
    return "" if value is None else value.decode("utf-8", errors="replace")


def discovery_from_info(info: AsyncServiceInfo, *, removed: bool = False) -> ZeroconfDiscovery:
    """Build the integration-facing view of a resolved service."""
    properties = {_decode(k): _decode(v) for k, v in info.properties.items()}
    return ZeroconfDiscovery(
        name=info.name,
        type=info.type,
        addresses=tuple(info.parsed_scoped_addresses(IPVersion.All)),
        port=info.port,
        properties=properties,
        server=info.server,
        removed=removed,
    )


async def resolve(zc: Zeroconf, service_type: str, name: str) -> ZeroconfDiscovery | None:
    """Resolve one instance's addresses, port and TXT record; None if it did not answer."""
    info = AsyncServiceInfo(service_type, name)
    if not await info.async_request(zc, RESOLVE_TIMEOUT_MS):
        return None
    return discovery_from_info(info)


class ZeroconfBrowser:
    """Browse the given service types and dispatch each change to the owning integrations."""

    def __init__(
        self,
        hub: Hub,
        owners: Mapping[str, Sequence[str]],
        *,
        interfaces: Interfaces = InterfaceChoice.All,
    ) -> None:
        self._hub = hub
        self._owners = {t: list(d) for t, d in owners.items()}
        self._interfaces = interfaces
        self._azc: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._known: dict[tuple[str, str], ZeroconfDiscovery] = {}
        self._generation: dict[tuple[str, str], int] = {}

    @property
    def zeroconf(self) -> Zeroconf | None:
        """The running zeroconf instance (None before start and after stop)."""
        return None if self._azc is None else self._azc.zeroconf

    def known(self) -> list[ZeroconfDiscovery]:
        """Every instance currently seen, in name order."""
        return [self._known[k] for k in sorted(self._known)]

    async def __aenter__(self) -> Self:
        self._azc = AsyncZeroconf(interfaces=self._interfaces)
        if self._owners:
            self._browser = AsyncServiceBrowser(
                self._azc.zeroconf, sorted(self._owners), handlers=[self._on_change]
            )
        _LOGGER.debug("Browsing mDNS for %s", ", ".join(sorted(self._owners)) or "nothing")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._browser is not None:
            await self._browser.async_cancel()
            self._browser = None
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._azc is not None:
            await self._azc.async_close()
            self._azc = None

    def _on_change(
        self,
        zeroconf: Zeroconf,
        service_type: str,
        name: str,
        state_change: ServiceStateChange,
    ) -> None:
        self._hub.add_job_threadsafe(self._spawn, service_type, name, state_change)

    def _spawn(self, service_type: str, name: str, state_change: ServiceStateChange) -> None:
        task = self._hub.create_task(
            self._handle(service_type, name, state_change), name=f"zeroconf:{name}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, service_type: str, name: str, state_change: ServiceStateChange) -> None:
        key = (service_type, name)
        # Changes of one instance resolve concurrently; only the newest may be dispatched, so
        # a slow resolve started before a TXT update cannot overwrite it with the old record.
        generation = self._generation[key] = self._generation.get(key, 0) + 1
        if state_change is ServiceStateChange.Removed:
            previous = self._known.pop(key, None)
            discovery = ZeroconfDiscovery(
                name=name,
                type=service_type,
                addresses=previous.addresses if previous else (),
                port=previous.port if previous else None,
                properties=previous.properties if previous else {},
                server=previous.server if previous else None,
                removed=True,
            )
        else:
            zc = self.zeroconf
            if zc is None:
                return
            found = await resolve(zc, service_type, name)
            if self._generation.get(key) != generation:
                return
            if found is None:
                _LOGGER.debug("%s did not resolve", name)
                return
            self._known[key] = discovery = found
        await self.dispatch(discovery)

    async def dispatch(self, discovery: ZeroconfDiscovery) -> None:
        """Hand ``discovery`` to each integration listing its type; log their failures."""
        for domain in self._owners.get(discovery.type, ()):
            try:
                await self._hub.plugins.acall(domain, HOOK, hub=self._hub, discovery=discovery)
            except Exception:
                _LOGGER.exception("%s failed to handle the discovery of %s", domain, discovery.name)


ZEROCONF_BROWSER: HubKey[ZeroconfBrowser] = HubKey("zeroconf_browser")


async def _browse_names(
    zc: Zeroconf, service_types: list[str], duration_s: float
) -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()

    def collect(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is not ServiceStateChange.Removed:
            seen.add((service_type, name))

    browser = AsyncServiceBrowser(zc, service_types, handlers=[collect])
    try:
        await asyncio.sleep(duration_s)
    finally:
        await browser.async_cancel()
    return seen


async def zeroconf_scan(
    hub: Hub,
    service_types: Iterable[str],
    duration_s: float = 3.0,
    *,
    interfaces: Interfaces = InterfaceChoice.All,
) -> list[ZeroconfDiscovery]:
    """Browse ``service_types`` for ``duration_s`` seconds and return the resolved instances.

    Uses the hub's running browser's network sockets when the discovery component is set up,
    otherwise a temporary zeroconf instance on ``interfaces``.
    """
    types = sorted(set(service_types))
    running = hub.data.get(ZEROCONF_BROWSER)
    shared = None if running is None else running.zeroconf
    if shared is not None:
        return await _scan_on(shared, types, duration_s)
    temporary = AsyncZeroconf(interfaces=interfaces)
    try:
        return await _scan_on(temporary.zeroconf, types, duration_s)
    finally:
        await temporary.async_close()


async def _scan_on(zc: Zeroconf, types: list[str], duration_s: float) -> list[ZeroconfDiscovery]:
    names = await _browse_names(zc, types, duration_s)
    resolved = await asyncio.gather(*(resolve(zc, t, n) for t, n in sorted(names)))
    return [d for d in resolved if d is not None]
