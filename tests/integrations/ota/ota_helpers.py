"""Real-shaped firmware images, keys and a paired-node factory for the OTA tests."""

from __future__ import annotations

import asyncio
import base64
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.core.hub import Hub
from hub.testing.http import ApiResult, HubClient
from integrations.ota.manager import OtaManager
from integrations.ota.runtime import RUNTIME
from integrations.ota.signing import public_key_text, sign_image
from integrations.tank_node.const import CREDENTIAL_KIND, DEVICE_DATA_TANK
from integrations.tank_node.runtime import RUNTIME as TANK_RUNTIME
from integrations.tank_node.schema import TANK_SETTINGS_SCHEMA

MODEL = "tank node"
PROJECT = "tank-node"
TANK = {
    "shape": "vertical_cylinder",
    "diameter_mm": 1000,
    "height_mm": 1500,
    "sensor_offset_mm": 0,
    "blind_zone_mm": 200,
    "report_interval": 60,
}
SLOT = 200_000


def build_image(
    version: str, *, project: str = PROJECT, size: int = 40_000, fill: int = 0x5A
) -> bytes:
    """An ESP32 app image: image header, first segment header, app descriptor, filler bytes.

    The layout is ESP-IDF's (``esp_image_header_t``, ``esp_image_segment_header_t``,
    ``esp_app_desc_t``); there is no firmware code, only headers and padding.
    """
    image_header = struct.pack(
        "<BBBBIB3sHBHH4sB",
        0xE9, 1, 2, 0x20, 0x400D_0000, 0xEE, b"\0\0\0", 0, 0, 0, 0xFFFF, b"\0" * 4, 1,
    )  # fmt: skip
    segment_header = struct.pack("<II", 0x3F40_0020, 256)
    desc = struct.pack("<II8x", 0xABCD5432, 0)
    desc += version.encode().ljust(32, b"\0") + project.encode().ljust(32, b"\0")
    desc += b"12:00:00".ljust(16, b"\0") + b"Jan  1 2026".ljust(16, b"\0")
    desc += b"v5.3".ljust(32, b"\0")
    head = image_header + segment_header + desc.ljust(256, b"\0")
    return head + bytes([fill]) * max(size - len(head), 0)


@dataclass(frozen=True)
class Publisher:
    """A publisher key pair."""

    key: Ed25519PrivateKey

    @classmethod
    def new(cls) -> Publisher:
        return cls(Ed25519PrivateKey.generate())

    @property
    def public_text(self) -> str:
        return public_key_text(self.key.public_key())

    @property
    def public_raw(self) -> bytes:
        return base64.b64decode(self.public_text)

    def sign(self, image: bytes) -> str:
        return sign_image(self.key, image)

    def pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


async def eventually(predicate: Callable[[], bool], limit_s: float = 10.0) -> None:
    """Wait until ``predicate()`` holds (the condition belongs to sockets and other tasks)."""
    async with asyncio.timeout(limit_s):
        while not predicate():
            await asyncio.sleep(0.01)


@dataclass
class OtaHub:
    """A hub with ota + tank_node set up and served over HTTP."""

    hub: Hub
    client: HubClient
    publisher: Publisher
    nodes: list[Any] = field(default_factory=list)

    @property
    def manager(self) -> OtaManager:
        return self.hub.data[RUNTIME]

    async def upload(
        self, image: bytes, version: str, *, signature: str | None = None
    ) -> ApiResult:
        query = f"model={MODEL.replace(' ', '%20')}&version={version}"
        sig = signature if signature is not None else self.publisher.sign(image)
        return await self.client.request(
            "POST",
            f"/api/ota/images?{query}&signature={sig.replace('+', '%2B').replace('/', '%2F')}",
            data=image,
            role="operator",
        )

    async def pair(self, sim: ModuleType, index: int, **kwargs: Any) -> Any:
        """Register a tank node device, then start a simulated node with its credentials."""
        mac = f"02:00:00:00:{(index >> 8) & 0xFF:02x}:{index & 0xFF:02x}"
        device = await self.hub.device_registry.register(
            "tank_node",
            f"Tank {index}",
            [("mac", mac)],
            model=MODEL,
            sw_version="1.2.0",
            data={DEVICE_DATA_TANK: TANK_SETTINGS_SCHEMA(dict(TANK))},
        )
        credential = await self.hub.device_registry.issue_credential(device.id, CREDENTIAL_KIND)
        await self.hub.data[TANK_RUNTIME].sessions.add_device(device)
        state = sim.NodeState(
            device_id=device.id,
            hub_url=self.client.base_url.replace("http", "ws", 1) + "/api/tank_node/ws",
            secret=credential.token,
        )
        settings = kwargs.pop("ota", None) or sim.OtaSettings(public_key=self.publisher.public_raw)
        node = sim.SimulatedNode(
            mac,
            advertise=False,
            fw="1.2.0",
            backoff_base_ms=20,
            backoff_cap_ms=200,
            state=state,
            ota=settings,
            **kwargs,
        )
        await node.start()
        self.nodes.append(node)
        return node
