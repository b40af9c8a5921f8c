"""The ``alert:`` core component: validates the section and starts the alerts.

``alert:`` is Home Assistant's alert section (a mapping keyed by alert id) extended with
Fieldhub's alarm-management keys; see ``docs/alerts.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hub.alerts.manager import ALERTS, AlertManager
from hub.alerts.schema import CONFIG_SCHEMA, AlertSection
from hub.alerts.services import register_services

if TYPE_CHECKING:
    from hub.core.hub import Hub

__all__ = ["CONFIG_SCHEMA", "async_setup"]


async def async_setup(hub: Hub, config: Any) -> None:
    """Start every configured alert, register the ``alert.*`` services."""
    section: AlertSection = config if isinstance(config, AlertSection) else CONFIG_SCHEMA(config)
    manager = AlertManager(hub, section)
    hub.data[ALERTS] = manager
    await manager.start()
    hub.on_stop(manager.stop)
    register_services(hub, manager)
