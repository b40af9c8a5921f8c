"""The ``recorder.*`` services."""

from __future__ import annotations

from typing import TYPE_CHECKING

import voluptuous as vol

from hub.config import cv
from hub.core.services import ServiceCall, ServiceResponse

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.recorder.recorder import Recorder

DOMAIN = "recorder"

PURGE_SCHEMA = vol.Schema(
    {
        vol.Optional("keep_days"): cv.positive_float,
        vol.Optional("repack", default=False): cv.boolean,
    }
)


def register_services(hub: Hub, recorder: Recorder) -> None:
    """Register ``recorder.purge``."""

    async def handle_purge(call: ServiceCall) -> ServiceResponse:
        result = await recorder.purge(call.data.get("keep_days"), repack_db=call.data["repack"])
        return result.as_dict()

    hub.services.register(
        DOMAIN,
        "purge",
        handle_purge,
        PURGE_SCHEMA,
        description="Delete history older than the retention now, then optionally repack.",
        fields={
            "keep_days": "days of history to keep (default: the configured keep_days)",
            "repack": "give the freed space back to the file system",
        },
        supports_response=True,
    )
