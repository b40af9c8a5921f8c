"""The typed key under which the OTA manager lives in ``hub.data``."""

from __future__ import annotations

from hub.api import HubKey

from .manager import OtaManager

RUNTIME: HubKey[OtaManager] = HubKey("ota")
