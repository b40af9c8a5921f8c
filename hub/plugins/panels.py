"""UI panels that integrations add to the web UI's navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.plugins.manager import PluginManager

ROLES = ("viewer", "operator", "admin")


@dataclass(frozen=True, slots=True)
class Panel:
    """A navigation entry: the UI renders it from the integration's REST routes."""

    panel_id: str
    title: str
    icon: str
    integration: str
    role: str = "viewer"

    def as_dict(self) -> dict[str, Any]:
        """Serialise for ``GET /api/panels``."""
        return {
            "panel_id": self.panel_id,
            "title": self.title,
            "icon": self.icon,
            "integration": self.integration,
            "role": self.role,
        }


def collect_panels(plugins: PluginManager) -> list[Panel]:
    """Every panel registered through ``fieldhub_register_ui_panels``, in plugin order."""
    panels: list[Panel] = []
    seen: set[str] = set()
    for integration, args, kwargs in plugins.collect("fieldhub_register_ui_panels"):
        panel_id, title, icon = args[:3]
        role = str(kwargs.get("role", "viewer"))
        if role not in ROLES:
            raise ValueError(f"{integration}: panel {panel_id!r} has unknown role {role!r}")
        if panel_id in seen:
            raise ValueError(f"{integration}: panel {panel_id!r} is already registered")
        seen.add(panel_id)
        panels.append(Panel(str(panel_id), str(title), str(icon), integration, role))
    return panels
