"""One test per hook (``test_hook_<name>``), each through the hook's real consumer."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import voluptuous as vol

from hub.cli import build_parser
from hub.config.errors import ConfigError
from hub.core.bootstrap import domain_schemas
from hub.core.hub import Hub
from hub.entity.entity import Entity
from hub.plugins.manager import PluginManager
from hub.plugins.manifest import Manifest
from tests.hub.plugins.plugin_helpers import make_plugin, manifest


def test_hook_fieldhub_config_schema(tmp_path: Path) -> None:
    from hub.config.loader import load_configuration

    pm = PluginManager()
    schema = vol.Schema({vol.Required("depth_cm"): vol.Coerce(float)})
    pm.register(make_plugin(fieldhub_config_schema=lambda: schema),
                Manifest.from_dict(manifest("pond"), "t"))
    (tmp_path / "configuration.yaml").write_text("pond:\n  depth_cm: deep\n")
    try:
        load_configuration(tmp_path, domain_schemas(pm, components=[]))
    except ConfigError as err:
        assert err.format()[0].endswith(
            "configuration.yaml:2: pond → depth_cm: expected a number, got 'deep'"
        )
    else:
        raise AssertionError("invalid section accepted")
    (tmp_path / "configuration.yaml").write_text("pond:\n  depth_cm: 120\n")
    config = load_configuration(tmp_path, domain_schemas(pm, components=[]))
    assert config.sections["pond"] == {"depth_cm": 120.0}


async def test_hook_fieldhub_register_entity_platforms(start_hub: Any) -> None:
    hub: Hub = await start_hub({"configuration.yaml": "hub:\n"})
    platforms = hub.entities.platforms()
    assert {"sensor", "binary_sensor", "switch", "number"} <= set(platforms)

    class Valve(Entity):
        platform = "valve"

    pm = PluginManager()
    pm.register(
        make_plugin(fieldhub_register_entity_platforms=lambda register: register("valve", Valve)),
        Manifest.from_dict(manifest("valves"), "t"),
    )
    for _plugin, args, _kw in pm.collect("fieldhub_register_entity_platforms"):
        hub.entities.register_platform(*args)
    assert hub.entities.platforms()["valve"] is Valve


def test_hook_fieldhub_register_cli_commands() -> None:
    ran: list[argparse.Namespace] = []

    def configure(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--count", type=int, default=1)

    def run(args: argparse.Namespace) -> int:
        ran.append(args)
        return 0

    parser = build_parser([("sim pond", "simulate a pond", configure, run)])
    args = parser.parse_args(["sim", "pond", "--count", "3"])
    assert args.func(args) == 0
    assert ran[0].count == 3


async def test_hook_fieldhub_setup(hub: Hub, register_plugin: Any) -> None:
    received: list[Any] = []

    async def setup(hub: Hub, config: Any) -> None:
        received.append(config)

    register_plugin(make_plugin(fieldhub_setup=setup), manifest("pond"))
    assert await hub.integrations.setup("pond", {"depth_cm": 1.0})
    assert received == [{"depth_cm": 1.0}]


async def test_hook_fieldhub_unload(hub: Hub, register_plugin: Any) -> None:
    events: list[str] = []
    register_plugin(
        make_plugin(
            fieldhub_setup=lambda hub, config: events.append("setup"),
            fieldhub_unload=lambda hub: events.append("unload"),
        ),
        manifest("pond"),
    )
    await hub.integrations.setup("pond", None)
    await hub.integrations.unload("pond")
    assert events == ["setup", "unload"]
