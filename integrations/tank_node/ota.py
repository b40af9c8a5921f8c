"""``tank_node.ota_send``: the OTA channel of tank nodes (the ``ota`` integration calls it).

The response ``{"sent": false}`` tells the caller the node is offline; its progress comes
back as ``ota_report`` events, its (re)connections as ``ota_device_seen``.
"""

from __future__ import annotations

import re

import voluptuous as vol

from hub.api import Hub, ServiceCall, ServiceValidationError

from .const import DOMAIN, SERVICE_OTA_SEND
from .protocol import MAX_OTA_SIZE, OtaCommand, ProtocolError, decode, encode
from .runtime import RUNTIME

OTA_SEND_SCHEMA = vol.Schema(
    {
        vol.Required("device_id"): str,
        vol.Required("url"): str,
        vol.Required("version"): str,
        vol.Required("size"): vol.All(int, vol.Range(min=1, max=MAX_OTA_SIZE)),
        vol.Required("sha256"): vol.All(str, vol.Match(re.compile(r"[0-9a-f]{64}"))),
        vol.Required("signature"): str,
    }
)


def register_ota_service(hub: Hub) -> None:
    """Register ``tank_node.ota_send``."""

    async def ota_send(call: ServiceCall) -> dict[str, bool]:
        runtime = hub.data.get(RUNTIME)
        if runtime is None:
            raise ServiceValidationError("tank_node is not set up")
        data = dict(call.data)
        device_id = data.pop("device_id")
        command = OtaCommand(**data)
        try:
            decode(encode(command))
        except ProtocolError as err:
            raise ServiceValidationError(f"invalid ota command: {err.detail}") from err
        return {"sent": await runtime.sessions.send_ota(device_id, command)}

    hub.services.register(
        DOMAIN,
        SERVICE_OTA_SEND,
        ota_send,
        OTA_SEND_SCHEMA,
        description="Tell a tank node to download and install a firmware image",
        supports_response=True,
    )
