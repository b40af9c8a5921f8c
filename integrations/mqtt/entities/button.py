"""MQTT buttons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.api import ButtonEntity

from .. import const as c
from .base import MqttEntity


class MqttButton(MqttEntity, ButtonEntity):
    """Publishes ``payload_press`` to ``command_topic``."""

    def _apply_platform_config(self, config: Mapping[str, Any]) -> None:
        self._payload_press: str = config[c.CONF_PAYLOAD_PRESS]

    async def async_press(self) -> None:
        """Publish the press."""
        await self.publish_command(self._payload_press)
