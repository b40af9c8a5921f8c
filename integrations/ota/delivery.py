"""Telling a device to update, over whatever channel reaches it.

A channel is another integration that registers the service ``<its domain>.ota_send`` (the
tank node does, over its WebSocket); its response ``{"sent": false}`` means the device is
offline. Devices of a model with a ``command_topic`` get the command as JSON over MQTT when
the ``mqtt`` integration is loaded. The device's integration is asked first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hub.api import DeviceEntry, Hub

from . import const as c


class NoChannel(Exception):
    """No integration can reach the device."""


@dataclass(frozen=True, slots=True)
class OtaCommand:
    """What a device needs to fetch, check and install an image."""

    url: str
    version: str
    size: int
    sha256: str
    signature: str

    def as_dict(self) -> dict[str, Any]:
        """The command's fields (the ``ota`` message of the tank node protocol)."""
        return {
            "url": self.url,
            "version": self.version,
            "size": self.size,
            "sha256": self.sha256,
            "signature": self.signature,
        }


class Delivery:
    """Finds the channel of a device and sends it an :class:`OtaCommand`."""

    def __init__(self, hub: Hub, models: dict[str, dict[str, Any]]) -> None:
        self._hub = hub
        self._models = models

    def has_channel(self, device: DeviceEntry) -> bool:
        """True when some loaded integration can reach ``device``."""
        return self._service_of(device) is not None or self._topic_of(device) is not None

    def _service_of(self, device: DeviceEntry) -> str | None:
        domain = device.integration
        return domain if self._hub.services.has(domain, c.SERVICE_SEND) else None

    def _topic_of(self, device: DeviceEntry) -> str | None:
        settings = self._models.get(device.model or "")
        topic = None if settings is None else settings.get(c.CONF_COMMAND_TOPIC)
        if topic is None or not self._hub.services.has("mqtt", "publish"):
            return None
        return str(topic).replace("{device_id}", device.id)

    async def send(self, device: DeviceEntry, command: OtaCommand) -> bool:
        """Send ``command``; False when the channel says the device is offline."""
        domain = self._service_of(device)
        if domain is not None:
            response = await self._hub.services.call(
                domain,
                c.SERVICE_SEND,
                {"device_id": device.id, **command.as_dict()},
                return_response=True,
            )
            return bool(response.get("sent", False)) if isinstance(response, dict) else False
        topic = self._topic_of(device)
        if topic is None:
            raise NoChannel(f"no channel reaches device {device.id} ({device.integration})")
        payload = json.dumps({"type": "ota", "device_id": device.id, **command.as_dict()})
        await self._hub.services.call(
            "mqtt", "publish", {"topic": topic, "payload": payload, "qos": 1}
        )
        return True
