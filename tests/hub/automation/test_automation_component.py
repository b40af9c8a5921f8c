"""The section through the real config loader: includes, plugin platforms, file:line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_automation_trigger_other import MqttLikePlugin

from hub.automation.component import CONFIG_SCHEMA
from hub.automation.config_schema import AutomationConfig
from hub.config.errors import ConfigError
from hub.core.bootstrap import read_config
from hub.core.hub import Hub
from hub.plugins.manager import PluginManager
from hub.plugins.manifest import Manifest

CONFIGURATION = "automation: !include automations.yaml\n"
AUTOMATIONS = """- id: door_mqtt
  trigger:
    - platform: mqtt
      topic: site/door
  action:
    - service: notify.send
"""


def _write(config_dir: Path, automations: str) -> None:
    (config_dir / "configuration.yaml").write_text(CONFIGURATION)
    (config_dir / "automations.yaml").write_text(automations)


def _plugins(with_mqtt: bool) -> PluginManager:
    plugins = PluginManager()
    if with_mqtt:
        manifest = Manifest.from_dict(
            {"domain": "mqtt_like", "name": "MQTT-like", "version": "1"}, "test"
        )
        plugins.register(MqttLikePlugin(), manifest)
    return plugins


async def test_plugin_platforms_validate_through_the_loader(hub: Hub, config_dir: Path) -> None:
    _write(config_dir, AUTOMATIONS)
    config = await hub.run_in_executor(read_config, config_dir, _plugins(True))
    (automation,) = config.sections["automation"]
    assert isinstance(automation, AutomationConfig)
    assert automation.triggers[0]["options"] == {"topic": "site/door"}
    assert automation.source is not None and automation.source.endswith("automations.yaml:1")


async def test_unknown_platform_is_a_file_line_error(hub: Hub, config_dir: Path) -> None:
    _write(config_dir, AUTOMATIONS)
    with pytest.raises(ConfigError) as info:
        await hub.run_in_executor(read_config, config_dir, _plugins(False))
    assert info.value.format() == [
        "config/automations.yaml:3: automation → 0 → trigger → 0 → platform: "
        "unknown trigger platform 'mqtt' (known: device, event, homeassistant, hub, "
        "numeric_state, state, template, time, time_pattern)"
    ]


def test_static_schema_accepts_empty_and_knows_builtins() -> None:
    assert CONFIG_SCHEMA({}) == []
    assert CONFIG_SCHEMA(None) == []
    (config,) = CONFIG_SCHEMA(
        [{"triggers": [{"trigger": "state", "entity_id": "a.b"}], "actions": []}]
    )
    assert config.mode == "single" and config.stored_traces == 5
