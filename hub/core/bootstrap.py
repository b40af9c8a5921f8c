"""From a configuration directory to a running hub, and back down in order."""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import voluptuous as vol

from hub.config import cv
from hub.config.core_schema import CORE_SECTIONS, LOGGER_SCHEMA
from hub.config.errors import ConfigError, ConfigIssue
from hub.config.loader import HubConfig, load_configuration
from hub.core.components import CoreComponent, available_components
from hub.core.hub import Hub
from hub.core.interpreter import tune_interpreter
from hub.core.services_core import register_core_services
from hub.database.engine import default_db_url
from hub.plugins.manager import PluginManager, await_me_maybe
from hub.recorder.sqlite_health import announce_quarantine, quarantine_corrupt_sqlite

_LOGGER = logging.getLogger(__name__)


def load_plugins(allowed: tuple[str, ...] | None = None) -> PluginManager:
    """A plugin manager with every installed integration registered."""
    plugins = PluginManager()
    plugins.load_entry_points(allowed)
    return plugins


def domain_schemas(
    plugins: PluginManager, components: list[CoreComponent] | None = None
) -> dict[str, Any]:
    """Schemas of every section the configuration may contain."""
    schemas: dict[str, Any] = {"logger": LOGGER_SCHEMA}
    for component in components if components is not None else available_components():
        schemas[component.section] = component.schema(plugins)
    for name in plugins.names():
        schema = plugins.call(name, "fieldhub_config_schema")
        # ``domain:`` with nothing under it means "set up with defaults", as in Home Assistant.
        schemas[name] = None if schema is None else vol.All(cv.empty_mapping, schema)
    return schemas


def read_config(config_dir: Path, plugins: PluginManager) -> HubConfig:
    """Load and validate ``configuration.yaml`` (raises ConfigError with every issue)."""
    return load_configuration(config_dir, domain_schemas(plugins))


def _enforce_allowed_plugins(config: HubConfig, plugins: PluginManager) -> None:
    """Refuse sections of plugins outside ``hub: allowed_plugins``; unregister the rest."""
    allowed = config.core.allowed_plugins
    if allowed is None:
        return
    refused = [d for d in config.sections if d in plugins.names() and d not in allowed]
    if refused:
        path = config.config_dir / "configuration.yaml"
        issues = []
        for domain in refused:
            where = config.raw.key_location(domain)
            line = where.line if where is not None else None
            message = "this integration is not in hub: allowed_plugins"
            issues.append(ConfigIssue(path, line, (domain,), message))
        raise ConfigError(issues, base=config.config_dir.parent)
    for name in plugins.names():
        if name not in allowed:
            plugins.unregister(name)


def apply_logging(section: Mapping[str, Any] | None) -> None:
    """Apply the ``logger:`` section (default level and per-logger levels)."""
    if not section:
        return
    logging.getLogger().setLevel(section.get("default", "INFO").upper())
    for name, level in section.get("logs", {}).items():
        logging.getLogger(name).setLevel(str(level).upper())


async def start_hub(config_dir: Path, *, plugins: PluginManager | None = None) -> Hub:
    """Load everything, then start the core, its components and the integrations."""
    loop = asyncio.get_running_loop()
    if plugins is None:
        plugins = await loop.run_in_executor(None, load_plugins)
    loaded: PluginManager = plugins
    config = await loop.run_in_executor(None, read_config, config_dir, loaded)
    sections = config.sections
    _enforce_allowed_plugins(config, loaded)
    apply_logging(sections.get("logger"))
    settings = config.core
    recorder = sections.get("recorder") or {}
    db_url = recorder.get("db_url") or default_db_url(config_dir)
    moved_to = await loop.run_in_executor(None, quarantine_corrupt_sqlite, db_url)
    hub = Hub(
        config_dir,
        settings=settings,
        config=sections,
        db_url=db_url,
        plugins=loaded,
        config_loader=lambda: read_config(config_dir, loaded).sections,
    )
    try:
        await hub.start_core()
        if moved_to is not None:
            await announce_quarantine(hub, moved_to)
        register_core_services(hub)
        for _plugin, args, _kw in loaded.collect("fieldhub_register_entity_platforms"):
            hub.entities.register_platform(*args)
        components = available_components()
        await _setup_components(hub, components, "before_integrations", sections)
        await hub.integrations.setup_all(
            {d: v for d, v in sections.items() if d not in CORE_SECTIONS}
        )
        # Unwinding runs in reverse: late components stop, then integrations unload, then the
        # early components (the recorder flushes last).
        hub.on_stop(hub.integrations.unload_all)
        await _setup_components(hub, components, "after_integrations", sections)
    except BaseException:
        await hub.stop()
        raise
    hub.mark_started()
    # Everything built during start-up lives as long as the hub: move it out of the
    # collector's reach so full collections stay short (they set the intake latency tail),
    # and let the recorder's writer have the GIL back sooner.
    tune_interpreter()
    return hub


async def _setup_components(
    hub: Hub, components: list[CoreComponent], phase: str, sections: Mapping[str, Any]
) -> None:
    for component in components:
        if component.phase != phase:
            continue
        if not component.always and component.section not in sections:
            continue
        module = component.load()
        config = sections.get(component.section)
        if config is None:
            schema = getattr(module, "CONFIG_SCHEMA", None)
            config = schema({}) if isinstance(schema, vol.Schema) else {}
        started = time.monotonic()
        await await_me_maybe(module.async_setup(hub, config))
        elapsed = time.monotonic() - started
        slow = elapsed > hub.settings.setup_warning_after.total_seconds()
        level = logging.WARNING if slow else logging.INFO
        _LOGGER.log(level, "Core component %s started in %.2f s", component.section, elapsed)


async def run(config_dir: Path) -> int:
    """Run the hub until SIGINT/SIGTERM, then stop it cleanly; return the exit code."""
    hub = await start_hub(config_dir)
    stop_requested = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop_requested.set)
    _LOGGER.info("Hub %r is running from %s", hub.settings.name, config_dir)
    stop_task = asyncio.ensure_future(stop_requested.wait())
    done_task = asyncio.ensure_future(hub.wait_stopped())
    await asyncio.wait({stop_task, done_task}, return_when=asyncio.FIRST_COMPLETED)
    for task in (stop_task, done_task):
        task.cancel()
    _LOGGER.info("Stopping")
    await hub.stop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.remove_signal_handler(sig)
    return 0
