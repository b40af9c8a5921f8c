"""The route table: every REST route with its least role and OpenAPI operation."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiohttp import web

from hub.http.roles import ROUTE_ROLES

_LOGGER = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


class Register(Protocol):
    """``register(method, path, handler, *, role="viewer", openapi=None)``."""

    def __call__(
        self,
        method: str,
        path: str,
        handler: Handler,
        *,
        role: str = "viewer",
        openapi: Mapping[str, Any] | None = None,
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class RouteSpec:
    """One registered route."""

    method: str
    path: str
    handler: Handler
    role: str
    openapi: Mapping[str, Any] = field(default_factory=dict)
    source: str = "core"


class RouteTable:
    """Collects routes from the core, core packages and plugins; refuses malformed ones."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], RouteSpec] = {}

    def registrar(self, source: str) -> Register:
        """A ``register`` callable whose routes are tagged with ``source``."""

        def register(
            method: str,
            path: str,
            handler: Handler,
            *,
            role: str = "viewer",
            openapi: Mapping[str, Any] | None = None,
        ) -> None:
            self.add(RouteSpec(method.upper(), path, handler, role, dict(openapi or {}), source))

        return register

    def add(self, spec: RouteSpec) -> None:
        """Add a route; raise ValueError for a bad method, path, role or a duplicate."""
        if spec.method not in METHODS:
            raise ValueError(f"{spec.source}: unsupported method {spec.method!r}")
        if not spec.path.startswith("/"):
            raise ValueError(f"{spec.source}: path {spec.path!r} must start with '/'")
        if spec.role not in ROUTE_ROLES:
            raise ValueError(
                f"{spec.source}: role {spec.role!r} for {spec.path}; use one of "
                f"{sorted(ROUTE_ROLES)}"
            )
        key = (spec.method, spec.path)
        if key in self._routes:
            raise ValueError(f"{spec.source}: {spec.method} {spec.path} is already registered")
        self._routes[key] = spec

    def add_collected(self, source: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
        """Add a route collected from a plugin hook; log and skip it if it is malformed."""
        try:
            self.registrar(source)(*args, **kwargs)
        except (TypeError, ValueError) as err:
            _LOGGER.error("Route from %s ignored: %s", source, err)

    def routes(self) -> list[RouteSpec]:
        """Every route, in registration order."""
        return list(self._routes.values())
