"""The service registry: named actions (``domain.service``) with validated data."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import voluptuous as vol

from hub.core.bus import EventBus
from hub.core.context import Context
from hub.core.errors import ServiceNotFound, ServiceValidationError
from hub.core.events import EVENT_SERVICE_CALLED, EVENT_SERVICE_REGISTERED
from hub.core.tasks import TaskTracker

_LOGGER = logging.getLogger(__name__)

ServiceResponse = Mapping[str, Any] | None
ServiceHandler = Callable[["ServiceCall"], Awaitable[ServiceResponse] | ServiceResponse]


@dataclass(frozen=True, slots=True)
class ServiceCall:
    """One call of a service, with data already validated by the service's schema."""

    domain: str
    service: str
    data: Mapping[str, Any]
    context: Context
    return_response: bool = False


@dataclass(frozen=True, slots=True)
class Service:
    """A registered service."""

    domain: str
    name: str
    handler: ServiceHandler
    schema: vol.Schema | None = None
    description: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)
    supports_response: bool = False


def humanize_invalid(error: vol.Invalid) -> str:
    """Turn a voluptuous error into ``key → sub: message`` text."""
    errors = error.errors if isinstance(error, vol.MultipleInvalid) else [error]
    parts = []
    for err in errors:
        path = " → ".join(str(p) for p in err.path)
        parts.append(f"{path}: {err.msg}" if path else err.msg)
    return "; ".join(parts)


class ServiceRegistry:
    """Registers services and calls them."""

    def __init__(self, bus: EventBus, tasks: TaskTracker) -> None:
        self._bus = bus
        self._tasks = tasks
        self._services: dict[str, dict[str, Service]] = {}

    def register(
        self,
        domain: str,
        service: str,
        handler: ServiceHandler,
        schema: vol.Schema | None = None,
        *,
        description: str = "",
        fields: Mapping[str, str] | None = None,
        supports_response: bool = False,
    ) -> None:
        """Register (or replace) ``domain.service``."""
        domain, service = domain.lower(), service.lower()
        self._services.setdefault(domain, {})[service] = Service(
            domain, service, handler, schema, description, dict(fields or {}), supports_response
        )
        self._bus.fire(EVENT_SERVICE_REGISTERED, {"domain": domain, "service": service})

    def remove(self, domain: str, service: str) -> None:
        """Unregister ``domain.service`` if present."""
        services = self._services.get(domain)
        if services is not None:
            services.pop(service, None)
            if not services:
                del self._services[domain]

    def remove_domain(self, domain: str) -> None:
        """Unregister every service of ``domain``."""
        self._services.pop(domain, None)

    def has(self, domain: str, service: str) -> bool:
        """True if ``domain.service`` is registered."""
        return service.lower() in self._services.get(domain.lower(), {})

    def get(self, domain: str, service: str) -> Service | None:
        """The registered service or None."""
        return self._services.get(domain.lower(), {}).get(service.lower())

    def services(self) -> dict[str, dict[str, Service]]:
        """All services by domain."""
        return {domain: dict(services) for domain, services in self._services.items()}

    async def call(
        self,
        domain: str,
        service: str,
        data: Mapping[str, Any] | None = None,
        *,
        context: Context | None = None,
        return_response: bool = False,
        blocking: bool = True,
    ) -> ServiceResponse:
        """Validate ``data`` and run the handler.

        Raises :class:`ServiceNotFound` or :class:`ServiceValidationError`. With
        ``blocking=False`` the handler is started and the call returns at once.
        """
        entry = self.get(domain, service)
        if entry is None:
            raise ServiceNotFound(domain, service)
        payload = dict(data or {})
        if entry.schema is not None:
            try:
                payload = entry.schema(payload)
            except vol.Invalid as err:
                raise ServiceValidationError(
                    f"invalid data for {entry.domain}.{entry.name}: {humanize_invalid(err)}"
                ) from err
        if return_response and not entry.supports_response:
            raise ServiceValidationError(f"{entry.domain}.{entry.name} does not return a response")
        context = context or Context()
        call = ServiceCall(
            entry.domain, entry.name, MappingProxyType(payload), context, return_response
        )
        self._bus.fire(
            EVENT_SERVICE_CALLED,
            {"domain": entry.domain, "service": entry.name, "service_data": payload},
            context,
        )
        if not blocking:
            self._tasks.create(self._run_logged(entry, call), name=f"service:{domain}.{service}")
            return None
        return await self._run(entry, call)

    @staticmethod
    async def _run(entry: Service, call: ServiceCall) -> ServiceResponse:
        result = entry.handler(call)
        if inspect.isawaitable(result):
            result = await result
        return result if call.return_response else None

    async def _run_logged(self, entry: Service, call: ServiceCall) -> None:
        try:
            await self._run(entry, call)
        except Exception:
            _LOGGER.exception("Error in service %s.%s", entry.domain, entry.name)
