"""Other integrations add notify platforms through the plugin hook."""

from __future__ import annotations

from typing import Any

import voluptuous as vol

from hub.core.hub import Hub
from integrations.notify.registry import PlatformRegistry
from tests.hub.plugins.plugin_helpers import make_plugin, manifest


async def test_hook_fieldhub_register_notify_platforms(hub: Hub, register_plugin: Any) -> None:
    def factory(hub: Hub, config: Any) -> object:
        return object()

    schema = vol.Schema({vol.Required("siren_id"): str})
    register_plugin(
        make_plugin(
            fieldhub_register_notify_platforms=lambda register: register("siren", schema, factory)
        ),
        manifest("sirens"),
    )
    registry = PlatformRegistry.collect(hub)
    spec = registry.get("siren")
    assert spec is not None
    assert spec.factory is factory and spec.integration == "sirens"
