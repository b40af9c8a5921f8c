"""Setting integrations up in dependency order, reporting slow and failed ones, reloading."""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hub.core.errors import IntegrationError
from hub.core.events import EVENT_INTEGRATION_LOADED, EVENT_INTEGRATION_UNLOADED

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)

ConfigLoader = Callable[[], Mapping[str, Any]]


class IntegrationState(enum.Enum):
    """Where an integration is in its lifecycle."""

    NOT_LOADED = "not_loaded"
    SETTING_UP = "setting_up"
    LOADED = "loaded"
    FAILED = "failed"


@dataclass(slots=True)
class IntegrationStatus:
    """Set-up outcome of one integration."""

    domain: str
    state: IntegrationState = IntegrationState.NOT_LOADED
    error: str | None = None
    setup_seconds: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        return {
            "domain": self.domain,
            "state": self.state.value,
            "error": self.error,
            "setup_seconds": self.setup_seconds,
        }


def setup_order(wanted: list[str], deps: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Domains in an order where each comes after its dependencies (cycles raise)."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(domain: str, chain: tuple[str, ...]) -> None:
        if domain in order:
            return
        if domain in visiting:
            raise IntegrationError(f"dependency cycle: {' → '.join((*chain, domain))}")
        visiting.add(domain)
        for dep in deps.get(domain, ()):
            visit(dep, (*chain, domain))
        visiting.discard(domain)
        order.append(domain)

    for domain in wanted:
        visit(domain, ())
    return order


class IntegrationManager:
    """Runs ``fieldhub_setup``/``fieldhub_unload`` for configured integrations."""

    def __init__(self, hub: Hub, config_loader: ConfigLoader | None = None) -> None:
        self._hub = hub
        self._config_loader = config_loader
        self.status: dict[str, IntegrationStatus] = {}
        self._setups: dict[str, asyncio.Future[bool]] = {}

    def loaded(self) -> list[str]:
        """Domains currently set up."""
        return [d for d, s in self.status.items() if s.state is IntegrationState.LOADED]

    async def setup_all(self, configured: Mapping[str, Any]) -> None:
        """Set up every configured integration plus its dependencies, concurrently by level.

        A failure is logged and noted; integrations that depend on it are not set up; the
        rest carry on.
        """
        plugins = self._hub.plugins
        manifests = plugins.manifests()
        wanted = [d for d in configured if d in manifests]
        deps = {d: m.dependencies for d, m in manifests.items()}
        order: list[str] = []
        for domain in wanted:
            try:
                order.extend(d for d in setup_order([domain], deps) if d not in order)
            except IntegrationError as err:
                await self._fail(domain, str(err))
        loop = asyncio.get_running_loop()
        for domain in order:
            self._setups.setdefault(domain, loop.create_future())
        await asyncio.gather(
            *(self._setup_when_ready(d, configured.get(d), deps.get(d, ())) for d in order)
        )

    async def _setup_when_ready(self, domain: str, config: Any, deps: tuple[str, ...]) -> None:
        future = self._setups[domain]
        for dep in deps:
            dep_future = self._setups.get(dep)
            if dep not in self._hub.plugins.manifests():
                await self._fail(domain, f"depends on {dep!r}, which is not installed")
                future.set_result(False)
                return
            if dep_future is None or not await asyncio.shield(dep_future):
                await self._fail(domain, f"depends on {dep!r}, which failed to set up")
                future.set_result(False)
                return
        ok = await self.setup(domain, config)
        if not future.done():
            future.set_result(ok)

    async def setup(self, domain: str, config: Any) -> bool:
        """Set up one integration; True on success. Slow set-ups are reported by name."""
        status = self.status.setdefault(domain, IntegrationStatus(domain))
        if status.state is IntegrationState.LOADED:
            return True
        status.state = IntegrationState.SETTING_UP
        warn_after = self._hub.settings.setup_warning_after.total_seconds()
        started = time.monotonic()
        task = asyncio.ensure_future(
            self._hub.plugins.acall(domain, "fieldhub_setup", hub=self._hub, config=config)
        )
        try:
            done, _ = await asyncio.wait({task}, timeout=warn_after)
            if not done:
                _LOGGER.warning(
                    "Setup of %s is taking longer than %.0f s; the rest of the hub carries on",
                    domain,
                    warn_after,
                )
            await task
        except asyncio.CancelledError:
            task.cancel()
            raise
        except Exception as err:
            _LOGGER.exception("Setup of %s failed", domain)
            await self._fail(domain, f"{type(err).__name__}: {err}")
            return False
        status.state = IntegrationState.LOADED
        status.error = None
        status.setup_seconds = round(time.monotonic() - started, 3)
        _LOGGER.info("Set up %s in %.2f s", domain, status.setup_seconds)
        self._hub.bus.fire(EVENT_INTEGRATION_LOADED, {"domain": domain})
        return True

    async def _fail(self, domain: str, message: str) -> None:
        status = self.status.setdefault(domain, IntegrationStatus(domain))
        status.state = IntegrationState.FAILED
        status.error = message
        _LOGGER.error("Integration %s not set up: %s", domain, message)
        try:
            await self._hub.notices.create(
                f"Setup of {domain} failed",
                message,
                source=domain,
                notice_id=f"setup_failed_{domain}",
            )
        except Exception:
            _LOGGER.exception("Could not store the set-up notice for %s", domain)

    async def unload(self, domain: str) -> None:
        """Unload one integration: its hook, then its entities and services."""
        status = self.status.get(domain)
        if status is None or status.state is not IntegrationState.LOADED:
            raise IntegrationError(f"{domain} is not loaded")
        try:
            await self._hub.plugins.acall(domain, "fieldhub_unload", hub=self._hub)
        finally:
            await self._hub.entities.remove_integration(domain)
            self._hub.services.remove_domain(domain)
            status.state = IntegrationState.NOT_LOADED
            self._setups.pop(domain, None)
            self._hub.bus.fire(EVENT_INTEGRATION_UNLOADED, {"domain": domain})

    async def unload_all(self) -> None:
        """Unload every loaded integration, dependants first."""
        deps = {d: m.dependencies for d, m in self._hub.plugins.manifests().items()}
        for domain in reversed(setup_order(self.loaded(), deps)):
            if self.status.get(domain) and self.status[domain].state is IntegrationState.LOADED:
                try:
                    await self.unload(domain)
                except Exception:
                    _LOGGER.exception("Unloading %s failed", domain)

    async def reload(self, domain: str) -> bool:
        """Re-read the configuration, unload ``domain`` and set it up again."""
        if self._hub.plugins.get(domain) is None:
            raise IntegrationError(f"no integration named {domain!r} is installed")
        if self._config_loader is None:
            raise IntegrationError("this hub has no configuration to reload from")
        sections = await asyncio.get_running_loop().run_in_executor(None, self._config_loader)
        status = self.status.get(domain)
        if status is not None and status.state is IntegrationState.LOADED:
            await self.unload(domain)
        return await self.setup(domain, sections.get(domain))
