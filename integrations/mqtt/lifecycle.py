"""Set-up and unload of the MQTT integration."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from hub.api import Hub

from . import const as c
from .broker import builtin_broker
from .client import ControlClient
from .connection import build_tls_context, settings_from_config
from .diagnostics import diagnostic_entities
from .discovery import MQTT_DISCOVERY, DiscoveryManager
from .dispatch import start_dispatch
from .entities import ENTITY_CLASSES, MqttEntity
from .intake import Intake
from .intake_paho import PahoIntake
from .payload_schema import PayloadSchema, load_schema
from .router import TopicRouter
from .runtime import MQTT_RUNTIME, MqttRuntime
from .schema import CONFIG_SCHEMA
from .services import register_services
from .stats import IntakeStats

_LOGGER = logging.getLogger(__name__)
LOOPBACK = "127.0.0.1"


def _load_schemas(items: list[Mapping[str, Any]], config_dir: Path) -> list[PayloadSchema]:
    return [load_schema(i[c.CONF_TOPIC], i[c.CONF_SCHEMA], config_dir) for i in items]


async def setup_mqtt(hub: Hub, config: Mapping[str, Any] | None) -> MqttRuntime:
    """Connect (starting the built-in broker when none is configured) and add entities."""
    config = CONFIG_SCHEMA(dict(config or {}))
    parts: list[AbstractAsyncContextManager[Any]] = []
    host: str | None = config.get(c.CONF_BROKER)
    port: int = config[c.CONF_PORT]
    if host is None:
        builtin = config[c.CONF_BUILTIN_BROKER]
        parts.append(builtin_broker(builtin[c.CONF_HOST], builtin[c.CONF_PORT]))
        bind = builtin[c.CONF_HOST]
        host = LOOPBACK if bind in ("0.0.0.0", "", "::") else bind
        port = builtin[c.CONF_PORT]
    tls = await hub.run_in_executor(build_tls_context, config, hub.config_dir)
    schemas = await hub.run_in_executor(_load_schemas, config[c.CONF_SCHEMAS], hub.config_dir)
    settings = settings_from_config(config, host, port, tls)
    router, stats = TopicRouter(), IntakeStats()
    receiver = PahoIntake if config[c.CONF_INTAKE_RECEIVER] == c.RECEIVER_PAHO else Intake
    runtime = MqttRuntime(
        hub=hub,
        settings=settings,
        intake=receiver(hub, settings, router, stats, schemas),
        control=ControlClient(hub, settings),
        router=router,
        stats=stats,
        config_dir=hub.config_dir,
    )
    for part in parts:
        await runtime.stack.enter_async_context(part)
    hub.data[MQTT_RUNTIME] = runtime
    hub.on_stop(lambda: unload_mqtt(hub))
    register_services(runtime)
    for undo in start_dispatch(runtime):
        runtime.stack.callback(undo)
    if config[c.CONF_DISCOVERY]:
        discovery = DiscoveryManager(runtime, config[c.CONF_DISCOVERY_PREFIX])
        hub.data[MQTT_DISCOVERY] = discovery
        discovery.start()
        runtime.stack.callback(discovery.stop)
    entities: list[MqttEntity] = [
        ENTITY_CLASSES[platform](runtime, item)
        for platform in c.PLATFORMS
        for item in config[platform]
    ]
    await hub.entities.add(c.DOMAIN, [*entities, *diagnostic_entities(runtime)])
    # Connect only now: a persistent session delivers its queued messages at once, and
    # every route must exist by then.
    runtime.control.start()
    runtime.stack.push_async_callback(runtime.control.stop)
    await runtime.intake.start()
    runtime.stack.push_async_callback(runtime.intake.stop)
    return runtime


async def unload_mqtt(hub: Hub) -> None:
    """Stop discovery, the connections and the built-in broker (idempotent)."""
    runtime = hub.data.pop(MQTT_RUNTIME, None)
    hub.data.pop(MQTT_DISCOVERY, None)
    if runtime is None:
        return
    await runtime.stack.aclose()
