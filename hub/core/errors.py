"""Exceptions raised by the core."""

from __future__ import annotations


class HubError(Exception):
    """Base of every error the hub raises on purpose."""


class InvalidEntityId(HubError, ValueError):
    """An entity id that is not ``<platform>.<object_id>``."""


class ServiceNotFound(HubError):
    """A call to a service that no integration registered."""

    def __init__(self, domain: str, service: str) -> None:
        super().__init__(f"service {domain}.{service} not found")
        self.domain = domain
        self.service = service


class ServiceValidationError(HubError):
    """Service data that does not match the service's schema."""


class Unauthorized(HubError):
    """The caller may not do this."""

    def __init__(self, message: str = "not allowed", *, permission: str | None = None) -> None:
        super().__init__(message)
        self.permission = permission


class DeviceAlreadyRegistered(HubError):
    """A second registration of the same hardware identifier."""


class IntegrationError(HubError):
    """An integration could not be loaded or set up."""
