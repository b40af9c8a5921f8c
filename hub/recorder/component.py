"""The ``recorder:`` core component: validates the section and starts the recorder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hub.recorder.config import SECTION_SCHEMA, RecorderConfig
from hub.recorder.metrics import publish_metrics
from hub.recorder.recorder import RECORDER, Recorder
from hub.recorder.services import register_services

if TYPE_CHECKING:
    from hub.core.hub import Hub

CONFIG_SCHEMA = SECTION_SCHEMA


async def async_setup(hub: Hub, config: Mapping[str, Any]) -> None:
    """Start the recorder as a part of the hub (stopped, and flushed, at hub stop)."""
    recorder = await hub.enter(Recorder(hub, RecorderConfig.from_section(config)))
    hub.data[RECORDER] = recorder
    register_services(hub, recorder)
    publish_metrics(hub, recorder)
