"""The core's own sections (recorder, http, automation…) and when each starts.

A core component lives in its package as a module ``component`` exposing ``CONFIG_SCHEMA``
(voluptuous, for its YAML section) and ``async def async_setup(hub, config)``. Components
are imported lazily so that ``hub check-config`` stays fast and a hub without, say, the
HTTP server configured never imports aiohttp's web machinery.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from hub.plugins.manager import PluginManager

Phase = Literal["before_integrations", "after_integrations"]


@dataclass(frozen=True, slots=True)
class CoreComponent:
    """One core section and the module that implements it."""

    section: str
    module: str
    phase: Phase
    always: bool = True

    def load(self) -> ModuleType:
        """Import the component module."""
        return importlib.import_module(self.module)

    def schema(self, plugins: PluginManager | None = None) -> Any:
        """The component's section schema.

        A module whose schema depends on the loaded plugins (the automation section knows
        the plugins' trigger platforms) exposes ``config_schema(plugins)``; otherwise its
        ``CONFIG_SCHEMA`` is used.
        """
        module = self.load()
        factory = getattr(module, "config_schema", None)
        if plugins is not None and callable(factory):
            return factory(plugins)
        return getattr(module, "CONFIG_SCHEMA", None)


CORE_COMPONENTS: tuple[CoreComponent, ...] = (
    CoreComponent("recorder", "hub.recorder.component", "before_integrations"),
    CoreComponent("window", "hub.window.component", "before_integrations"),
    CoreComponent("automation", "hub.automation.component", "after_integrations"),
    CoreComponent("alert", "hub.alerts.component", "after_integrations"),
    CoreComponent("http", "hub.http.component", "after_integrations"),
    CoreComponent("discovery", "hub.discovery.component", "after_integrations"),
)


def available_components() -> list[CoreComponent]:
    """The components whose module is present in this installation."""
    found = []
    for component in CORE_COMPONENTS:
        if importlib.util.find_spec(component.module) is not None:
            found.append(component)
    return found
