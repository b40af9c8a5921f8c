"""PluginManager: registration, strict loading, per-plugin calls, collection, tracing."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from hub.core.errors import IntegrationError
from hub.plugins.manager import PluginManager, await_me_maybe
from hub.plugins.manifest import Manifest
from tests.hub.plugins.plugin_helpers import make_plugin, manifest


def test_misspelled_hook_stops_loading() -> None:
    pm = PluginManager()
    from hub.plugins.markers import hookimpl

    class Bad:
        @hookimpl
        def fieldhub_setpu(self, hub: Any, config: Any) -> None:
            """Misspelled on purpose."""

    pm.register(Bad(), Manifest.from_dict(manifest("bad"), "test"))
    with pytest.raises(IntegrationError, match="fieldhub_setpu"):
        pm.check_pending()


def test_call_reaches_only_the_named_plugin() -> None:
    pm = PluginManager()
    calls: list[str] = []
    pm.register(
        make_plugin(fieldhub_config_schema=lambda: calls.append("a") or "schema-a"),
        Manifest.from_dict(manifest("a"), "t"),
    )
    pm.register(
        make_plugin(fieldhub_config_schema=lambda: calls.append("b") or "schema-b"),
        Manifest.from_dict(manifest("b"), "t"),
    )
    assert pm.call("b", "fieldhub_config_schema") == "schema-b"
    assert calls == ["b"]


def test_collect_records_which_plugin_registered() -> None:
    pm = PluginManager()

    def reg_a(register: Any) -> None:
        register("valve", object)

    pm.register(
        make_plugin(fieldhub_register_entity_platforms=reg_a),
        Manifest.from_dict(manifest("a"), "t"),
    )
    assert pm.collect("fieldhub_register_entity_platforms") == [("a", ("valve", object), {})]


def test_duplicate_name_refused() -> None:
    pm = PluginManager()
    pm.register(make_plugin(), Manifest.from_dict(manifest("a"), "t"))
    with pytest.raises(IntegrationError, match="already registered"):
        pm.register(make_plugin(), Manifest.from_dict(manifest("a"), "t"))


def test_plugin_info_lists_hooks() -> None:
    pm = PluginManager()
    pm.register(
        make_plugin(fieldhub_setup=lambda hub, config: None), Manifest.from_dict(manifest("a"), "t")
    )
    info = pm.plugins()[0].as_dict()
    assert info["name"] == "a" and info["version"] == "1.0.0"
    assert info["hooks"] == ["fieldhub_setup"]


def test_entry_points_respect_allow_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDHUB_PLUGINS", "example_sine")
    pm = PluginManager()
    pm.load_entry_points()
    assert pm.names() == ["example_sine"]


def test_tracing_logs_hook_calls(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("FIELDHUB_TRACE_HOOKS", "1")
    pm = PluginManager()
    pm.register(
        make_plugin(fieldhub_config_schema=lambda: None), Manifest.from_dict(manifest("a"), "t")
    )
    with caplog.at_level(logging.INFO, logger="hub.plugins.manager"):
        pm.call("a", "fieldhub_config_schema")
    assert "hook fieldhub_config_schema" in caplog.text


def test_invalid_manifest_is_clear() -> None:
    with pytest.raises(IntegrationError, match="invalid manifest"):
        Manifest.from_dict({"domain": "Bad Name", "name": "x", "version": "1"}, "m.json")


async def test_await_me_maybe() -> None:
    async def coro() -> int:
        return 2

    assert await await_me_maybe(1) == 1
    assert await await_me_maybe(coro()) == 2
