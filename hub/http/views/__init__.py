"""The core's REST routes, one module per resource."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hub.http.views import auth, devices, events, root, services, states, system, users

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.routing import Register

_MODULES = (root, auth, users, states, services, events, devices, system)


def register_core_views(hub: Hub, register: Register) -> None:
    """Register every core route."""
    for module in _MODULES:
        module.register_http_views(hub, register)
