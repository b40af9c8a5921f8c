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
    pm.register(
        make_plugin(fieldhub_config_schema=lambda: schema),
        Manifest.from_dict(manifest("pond"), "t"),
    )
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


def test_hook_fieldhub_register_triggers() -> None:
    from hub.automation.platforms import collect_platforms

    def attach(hub: Hub, config: Any, fire: Any) -> Any:
        return lambda: None

    pm = PluginManager()
    pm.register(
        make_plugin(
            fieldhub_register_triggers=lambda register: register(
                "pond_level", vol.Schema({}), attach
            )
        ),
        Manifest.from_dict(manifest("pond"), "t"),
    )
    platforms = collect_platforms(pm)
    assert platforms.triggers["pond_level"].attach is attach
    assert platforms.triggers["pond_level"].source == "pond"
    assert "state" in platforms.triggers  # built-ins come through the same table


def test_hook_fieldhub_register_conditions() -> None:
    from hub.automation.platforms import collect_platforms

    def build(hub: Hub, config: Any) -> Any:
        return lambda variables: True

    pm = PluginManager()
    pm.register(
        make_plugin(
            fieldhub_register_conditions=lambda register: register(
                "pond_full", vol.Schema({}), build
            )
        ),
        Manifest.from_dict(manifest("pond"), "t"),
    )
    assert collect_platforms(pm).conditions["pond_full"].build is build


def test_hook_fieldhub_register_actions() -> None:
    from hub.automation.platforms import collect_platforms

    async def run(hub: Hub, config: Any, variables: Any) -> None:
        return None

    pm = PluginManager()
    pm.register(
        make_plugin(
            fieldhub_register_actions=lambda register: register("drain_pond", vol.Schema({}), run)
        ),
        Manifest.from_dict(manifest("pond"), "t"),
    )
    assert collect_platforms(pm).actions["drain_pond"].run is run


async def test_hook_fieldhub_register_http_views(
    hub: Hub, register_plugin: Any, make_hub_client: Any
) -> None:
    from aiohttp import web

    async def depth(request: web.Request) -> web.Response:
        return web.json_response({"depth_cm": 120})

    def views(hub: Hub, register: Any) -> None:
        register(
            "GET",
            "/api/pond/depth",
            depth,
            role="viewer",
            openapi={"summary": "Pond depth", "responses": {"200": {"description": "depth"}}},
        )

    register_plugin(make_plugin(fieldhub_register_http_views=views), manifest("pond"))
    client = await make_hub_client()
    result = await client.request("GET", "/api/pond/depth", role="viewer")
    assert result.status == 200 and result.data == {"depth_cm": 120}
    unauthenticated = await client.request("GET", "/api/pond/depth", role=None)
    assert unauthenticated.status == 401
    spec = await client.request("GET", "/api/openapi.json")
    assert spec.data["paths"]["/api/pond/depth"]["get"]["summary"] == "Pond depth"


async def test_hook_fieldhub_zeroconf_discovered(hub: Hub, register_plugin: Any) -> None:
    import asyncio
    import socket

    from zeroconf import ServiceInfo
    from zeroconf.asyncio import AsyncZeroconf

    from hub.discovery.models import ZeroconfDiscovery
    from hub.discovery.zeroconf_browser import ZeroconfBrowser

    seen: list[ZeroconfDiscovery] = []
    service_type = "_pond-probe._tcp.local."
    register_plugin(
        make_plugin(fieldhub_zeroconf_discovered=lambda hub, discovery: seen.append(discovery)),
        manifest("pond", zeroconf=[service_type]),
    )
    info = ServiceInfo(
        service_type,
        f"probe-1.{service_type}",
        addresses=[socket.inet_aton("127.0.0.1")],
        port=8080,
        properties={"mac": "aa:bb:cc:dd:ee:01"},
        server="probe-1.local.",
    )
    advertiser = AsyncZeroconf(interfaces=["127.0.0.1"])
    await advertiser.async_register_service(info)
    try:
        async with ZeroconfBrowser(hub, {service_type: ["pond"]}, interfaces=["127.0.0.1"]):
            for _ in range(200):
                if seen:
                    break
                await asyncio.sleep(0.05)
    finally:
        await advertiser.async_unregister_service(info)
        await advertiser.async_close()
    assert seen, "the browser never reported the advertised service"
    assert seen[0].properties["mac"] == "aa:bb:cc:dd:ee:01"
    assert seen[0].port == 8080


async def test_hook_fieldhub_register_ui_panels(
    hub: Hub, register_plugin: Any, make_hub_client: Any
) -> None:
    register_plugin(
        make_plugin(
            fieldhub_register_ui_panels=lambda register: register(
                "pond", "Pond", "mdi:waves", role="operator"
            )
        ),
        manifest("pond"),
    )
    client = await make_hub_client()
    result = await client.request("GET", "/api/panels", role="viewer")
    assert result.status == 200
    assert result.data == [
        {
            "panel_id": "pond",
            "title": "Pond",
            "icon": "mdi:waves",
            "integration": "pond",
            "role": "operator",
        }
    ]
