"""Pairing: create the device, issue its secret, and hand both to the node's config server."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from hub.api import DeviceAlreadyRegistered, DeviceEntry, Hub, HubError

from .const import CREDENTIAL_KIND, DEVICE_DATA_TANK, DOMAIN, MANUFACTURER, PAIR_TIMEOUT_S
from .protocol import PairRequest, encode_pair_request
from .schema import tank_settings

_LOGGER = logging.getLogger(__name__)


class PairingError(HubError):
    """Pairing failed; ``status`` is the HTTP status the hub's API answers with."""

    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True, slots=True)
class PairingTarget:
    """A validated pairing request (see ``schema.PAIR_SCHEMA``)."""

    host: str
    port: int
    mac: str
    name: str
    tank: Mapping[str, Any]
    hub_url: str

    @property
    def pair_url(self) -> str:
        """The node's ``POST /pair`` endpoint."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/pair"


async def _post_pair(session: aiohttp.ClientSession, url: str, body: str) -> None:
    timeout = aiohttp.ClientTimeout(total=PAIR_TIMEOUT_S)
    headers = {"Content-Type": "application/json"}
    try:
        async with session.post(url, data=body, headers=headers, timeout=timeout) as response:
            if response.status == 200:
                return
            detail = await response.text()
            if response.status == 409:
                raise PairingError(
                    "the node is already paired; hold its reset button at power-up to pair "
                    "it again",
                    status=409,
                    code="node_already_paired",
                )
            raise PairingError(
                f"the node refused pairing ({response.status}): {detail[:200]}",
                status=502,
                code="node_refused",
            )
    except (aiohttp.ClientError, TimeoutError) as err:
        raise PairingError(
            f"cannot reach the node at {url}: {err or type(err).__name__}",
            status=502,
            code="node_unreachable",
        ) from err


async def pair_node(
    hub: Hub, target: PairingTarget, *, session: aiohttp.ClientSession
) -> DeviceEntry:
    """Register the node (its MAC is unique), issue a credential and send it to the node.

    The device row is removed again when the node cannot be reached or refuses, so a failed
    attempt can simply be retried. A MAC that is already paired is refused with 409.
    """
    try:
        device = await hub.device_registry.register(
            DOMAIN,
            target.name,
            [("mac", target.mac)],
            manufacturer=MANUFACTURER,
            model="tank node",
            data={DEVICE_DATA_TANK: tank_settings(target.tank)},
        )
    except DeviceAlreadyRegistered as err:
        raise PairingError(
            f"a node with MAC {target.mac} is already paired; remove that device first",
            status=409,
            code="already_paired",
        ) from err
    try:
        credential = await hub.device_registry.issue_credential(device.id, CREDENTIAL_KIND)
        request = PairRequest(hub_url=target.hub_url, device_id=device.id, secret=credential.token)
        await _post_pair(session, target.pair_url, encode_pair_request(request))
    except BaseException:
        await hub.device_registry.remove(device.id)
        raise
    _LOGGER.info("Paired tank node %s (%s) as %s", target.name, target.mac, device.id)
    return device
