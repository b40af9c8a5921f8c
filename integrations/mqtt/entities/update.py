"""MQTT updates: installed and latest version, optionally installable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from hub.api import UpdateEntity

from .. import const as c
from ..models import MessageHandler, ReceivedMessage
from ..templates import TemplateError, template_or_none
from .base import LOG, MqttEntity

_JSON_FIELDS = {
    "installed_version": "_attr_installed_version",
    "latest_version": "_attr_latest_version",
    "title": "_attr_title",
    "release_summary": "_attr_release_summary",
    "release_url": "_attr_release_url",
    "in_progress": "_attr_in_progress",
    "update_percentage": "_attr_update_percentage",
}


class MqttUpdate(MqttEntity, UpdateEntity):
    """State topic: the installed version as text, or a JSON object of version fields."""

    def _apply_platform_config(self, config: Mapping[str, Any]) -> None:
        self._attr_title = config.get(c.CONF_TITLE)
        self._attr_release_summary = config.get(c.CONF_RELEASE_SUMMARY)
        self._attr_release_url = config.get(c.CONF_RELEASE_URL)
        self._attr_supports_install = c.CONF_COMMAND_TOPIC in config
        self._latest_template = template_or_none(config.get(c.CONF_LATEST_VERSION_TEMPLATE))

    def _state_handlers(self) -> dict[str, MessageHandler]:
        handlers: dict[str, MessageHandler] = {}
        if (topic := self._config.get(c.CONF_STATE_TOPIC)) is not None:
            handlers[topic] = self._on_state
        if (latest := self._config.get(c.CONF_LATEST_VERSION_TOPIC)) is not None:
            handlers[latest] = self._on_latest
        return handlers

    def _on_state(self, message: ReceivedMessage) -> None:
        value = self.render_value(message)
        if value is None:
            return
        try:
            data = orjson.loads(value)
        except orjson.JSONDecodeError:
            data = None
        if isinstance(data, dict):
            for key, attr in _JSON_FIELDS.items():
                if key in data:
                    setattr(self, attr, data[key])
        elif value:
            self._attr_installed_version = value
        self.invalidate_attributes()
        self.write_state()

    def _on_latest(self, message: ReceivedMessage) -> None:
        try:
            value = self._latest_template.render(message) if self._latest_template else message.text
        except TemplateError as err:
            LOG.warning(f"update:{message.topic}", "%s", err)
            return
        self._attr_latest_version = value or None
        self.invalidate_attributes()
        self.write_state()

    async def async_install(self, version: str | None = None, backup: bool = False) -> None:
        """Publish ``payload_install``."""
        await self.publish_command(self._config[c.CONF_PAYLOAD_INSTALL])
