"""IntegrationManager: dependency order, failures, slow set-ups, reload."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from hub.core.errors import IntegrationError
from hub.core.hub import Hub
from hub.plugins.setup import IntegrationState, setup_order
from tests.hub.plugins.plugin_helpers import make_plugin, manifest


def test_setup_order_follows_dependencies() -> None:
    deps = {"a": ("b",), "b": ("c",), "c": ()}
    assert setup_order(["a"], deps) == ["c", "b", "a"]


def test_dependency_cycle_is_named() -> None:
    with pytest.raises(IntegrationError, match="a → b → a"):
        setup_order(["a"], {"a": ("b",), "b": ("a",)})


async def test_dependencies_set_up_first(hub: Hub, register_plugin: Any) -> None:
    order: list[str] = []

    def setup_for(name: str) -> Any:
        async def setup(hub: Hub, config: Any) -> None:
            await asyncio.sleep(0)
            order.append(name)

        return setup

    register_plugin(make_plugin(fieldhub_setup=setup_for("base")), manifest("base"))
    register_plugin(
        make_plugin(fieldhub_setup=setup_for("top")), manifest("top", dependencies=["base"])
    )
    await hub.integrations.setup_all({"top": {}})
    assert order == ["base", "top"]
    assert set(hub.integrations.loaded()) == {"base", "top"}


async def test_failed_setup_is_reported_and_others_start(hub: Hub, register_plugin: Any) -> None:
    def broken(hub: Hub, config: Any) -> None:
        raise RuntimeError("sensor bus not found")

    register_plugin(make_plugin(fieldhub_setup=broken), manifest("broken"))
    register_plugin(
        make_plugin(fieldhub_setup=lambda hub, config: None),
        manifest("needs", dependencies=["broken"]),
    )
    register_plugin(make_plugin(fieldhub_setup=lambda hub, config: None), manifest("fine"))
    await hub.integrations.setup_all({"broken": {}, "needs": {}, "fine": {}})
    status = hub.integrations.status
    assert status["broken"].state is IntegrationState.FAILED
    assert "sensor bus not found" in (status["broken"].error or "")
    assert status["needs"].state is IntegrationState.FAILED
    assert "failed to set up" in (status["needs"].error or "")
    assert status["fine"].state is IntegrationState.LOADED
    notice = hub.notices.get("setup_failed_broken")
    assert notice is not None and "sensor bus not found" in notice.message


async def test_missing_dependency(hub: Hub, register_plugin: Any) -> None:
    register_plugin(
        make_plugin(fieldhub_setup=lambda hub, config: None), manifest("x", dependencies=["nope"])
    )
    await hub.integrations.setup_all({"x": {}})
    assert "not installed" in (hub.integrations.status["x"].error or "")


async def test_slow_setup_is_named(
    config_dir: Any, register_plugin: Any, caplog: pytest.LogCaptureFixture, hub: Hub
) -> None:
    release = asyncio.Event()

    async def slow(hub: Hub, config: Any) -> None:
        await release.wait()

    register_plugin(make_plugin(fieldhub_setup=slow), manifest("slow"))
    register_plugin(make_plugin(fieldhub_setup=lambda hub, config: None), manifest("quick"))
    object.__setattr__(hub, "settings", _with_warning(hub, 0.01))
    task = asyncio.ensure_future(hub.integrations.setup_all({"slow": {}, "quick": {}}))
    while "quick" not in hub.integrations.loaded():
        await asyncio.sleep(0.005)
    while "Setup of slow is taking longer" not in caplog.text:
        await asyncio.sleep(0.005)
    release.set()
    await task
    assert set(hub.integrations.loaded()) == {"slow", "quick"}


def _with_warning(hub: Hub, seconds: float) -> Any:
    import dataclasses
    import datetime as dt

    return dataclasses.replace(hub.settings, setup_warning_after=dt.timedelta(seconds=seconds))


async def test_unload_removes_entities_and_services(hub: Hub, register_plugin: Any) -> None:
    from hub.entity.platforms.sensor import SensorEntity

    async def setup(hub: Hub, config: Any) -> None:
        sensor = SensorEntity()
        sensor._attr_name = "Probe"
        sensor._attr_unique_id = "probe"
        await hub.entities.add("probe", [sensor])
        hub.services.register("probe", "ping", lambda call: None)

    unloaded: list[bool] = []
    register_plugin(
        make_plugin(fieldhub_setup=setup, fieldhub_unload=lambda hub: unloaded.append(True)),
        manifest("probe"),
    )
    await hub.integrations.setup("probe", {})
    assert hub.states.get("sensor.probe") is not None
    await hub.integrations.unload("probe")
    assert unloaded == [True]
    assert hub.states.get("sensor.probe") is None
    assert not hub.services.has("probe", "ping")
    with pytest.raises(IntegrationError, match="not loaded"):
        await hub.integrations.unload("probe")


async def test_setup_failure_logged(
    hub: Hub, register_plugin: Any, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(hub: Hub, config: Any) -> None:
        raise ValueError("bad wiring")

    register_plugin(make_plugin(fieldhub_setup=broken), manifest("wired"))
    with caplog.at_level(logging.ERROR):
        assert not await hub.integrations.setup("wired", {})
    assert "Integration wired not set up: ValueError: bad wiring" in caplog.text
