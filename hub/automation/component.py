"""The ``automation:`` section as a core component: schema, set-up and services.

``configuration.yaml`` holds ``automation: !include automations.yaml`` or the list inline.
The schema knows the plugins' trigger, condition and action platforms through
``config_schema(plugins)``; ``CONFIG_SCHEMA`` knows the built-in ones only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.automation.config_schema import AutomationConfig, section_schema
from hub.automation.engine import ENGINE, AutomationEngine
from hub.automation.platforms import builtin_platforms, collect_platforms
from hub.automation.services import register_services
from hub.core.bus import Event
from hub.core.events import EVENT_HUB_STARTED
from hub.core.hub import RunState

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.plugins.manager import PluginManager

CONFIG_SCHEMA: vol.Schema = section_schema(builtin_platforms())
"""The section's schema with the built-in platforms only."""


def config_schema(plugins: PluginManager) -> vol.Schema:
    """The section's schema with the built-in platforms and those of ``plugins``."""
    return section_schema(collect_platforms(plugins))


async def async_setup(hub: Hub, config: Any) -> AutomationEngine:
    """Start the engine with the validated automations and register the services."""
    engine = AutomationEngine(hub)
    hub.data[ENGINE] = engine
    register_services(hub, engine)
    configs: list[AutomationConfig] = list(config or [])
    await engine.load(configs)
    hub.on_stop(engine.stop)
    if hub.run_state is RunState.RUNNING:
        engine.warn_unknown_services()
    else:

        def started(_event: Event) -> None:
            engine.warn_unknown_services()

        hub.bus.listen_once(EVENT_HUB_STARTED, started)
    return engine
