"""The hub end of the node WebSocket (``GET /api/tank_node/ws``).

A node identifies with its device id and secret, gets its ``tank-config``, then streams
``tank-update`` frames that the hub acknowledges cumulatively. Bad credentials close with
4001, protocol violations with 4008, a newer session of the same node supersedes the older
(4010), and removing the device closes the socket with 4003.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import WSMsgType, web

from hub.api import (
    EVENT_DEVICE_REMOVED,
    EVENT_HUB_STOP,
    DeviceEntry,
    Event,
    Hub,
    record_state_at,
)

from .const import (
    CREDENTIAL_KIND,
    DEVICE_DATA_TANK,
    DOMAIN,
    EVENT_OTA_DEVICE_SEEN,
    EVENT_OTA_REPORT,
    EVENT_TANK_DECOMMISSIONED,
    IDENTIFY_TIMEOUT_S,
    RATE_LIMIT_BURST,
    RATE_LIMIT_PER_S,
)
from .protocol import (
    MAX_FRAME_BYTES,
    Ack,
    CloseCode,
    Message,
    OtaCommand,
    OtaState,
    ProtocolError,
    SessionClose,
    TankIdentify,
    TankUpdate,
    decode,
    encode,
)
from .ratelimit import TokenBucket
from .schema import config_message
from .tank import Outcome, Tank

_LOGGER = logging.getLogger(__name__)


class TankSessions:
    """Paired tanks, their live sockets, and the counters of refused sessions."""

    def __init__(self, hub: Hub, yaml_tanks: Mapping[str, Mapping[str, Any]]) -> None:
        self._hub = hub
        self._yaml_tanks = dict(yaml_tanks)
        self._tanks: dict[str, Tank] = {}
        self._live: dict[str, web.WebSocketResponse] = {}
        self._adding: dict[str, asyncio.Event] = {}
        self.rejected = 0
        self.violations = 0
        self.rate_limited = 0
        self._closing = False
        self._unsubs = [
            hub.bus.listen(EVENT_DEVICE_REMOVED, self._device_removed),
            hub.bus.listen(EVENT_HUB_STOP, self._hub_stopping),
        ]

    # -- tanks -------------------------------------------------------------------------------
    def tank(self, device_id: str) -> Tank | None:
        """The tank of a paired device."""
        return self._tanks.get(device_id)

    def is_online(self, device_id: str) -> bool:
        """True while the device holds an identified session."""
        return device_id in self._live

    def section_for(self, device: DeviceEntry) -> Mapping[str, Any] | None:
        """The tank section of a device: its YAML entry, else what was given at pairing."""
        for kind, value in device.identifiers:
            if kind == "mac" and value in self._yaml_tanks:
                return self._yaml_tanks[value]
        stored = device.data.get(DEVICE_DATA_TANK)
        return stored if isinstance(stored, Mapping) else None

    async def load(self) -> None:
        """Create the tanks and entities of every device paired before."""
        for device in self._hub.device_registry.devices(DOMAIN):
            await self.add_device(device)

    async def add_device(self, device: DeviceEntry) -> Tank | None:
        """Create the tank and entities of a paired device (once; later calls return it)."""
        existing = self._tanks.get(device.id)
        if existing is not None:
            adding = self._adding.get(device.id)
            if adding is not None:
                await adding.wait()
            return existing
        section = self.section_for(device)
        if section is None:
            _LOGGER.warning("Tank node %s has no tank configuration", device.id)
            return None
        tank = Tank(device.id, device.name, section)
        self._tanks[device.id] = tank
        self._adding[device.id] = adding = asyncio.Event()
        try:
            await self._hub.entities.add(DOMAIN, tank.entities())
        finally:
            del self._adding[device.id]
            adding.set()
        return tank

    async def close(self) -> None:
        """Stop listening, refuse new sessions and close every live one (1001)."""
        self._closing = True
        for unsub in self._unsubs:
            unsub()
        for ws in list(self._live.values()):
            await ws.close(code=1001, message=b"hub stopping")

    def _hub_stopping(self, event: Event) -> None:
        # The HTTP server stops before integrations unload and waits for open handlers.
        self._hub.create_task(self.close(), name="tank-node-sessions-close")

    def _device_removed(self, event: Event) -> None:
        device_id = event.data["device_id"]
        if self._tanks.pop(device_id, None) is None:
            return
        ws = self._live.pop(device_id, None)
        if ws is not None:
            self._hub.create_task(
                _close(ws, CloseCode.DECOMMISSIONED, "device removed"),
                name=f"tank-node-decommission:{device_id}",
            )
        self._hub.bus.fire(EVENT_TANK_DECOMMISSIONED, {"device_id": device_id})

    # -- sessions ----------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The WebSocket handler; devices authenticate with their first frame."""
        ws = web.WebSocketResponse(heartbeat=30.0, max_msg_size=MAX_FRAME_BYTES * 2)
        await ws.prepare(request)
        if self._closing:
            await ws.close(code=1001, message=b"hub stopping")
            return ws
        device_id = await self._identify(ws)
        if device_id is None:
            return ws
        tank = self._tanks[device_id]
        try:
            await self._serve(ws, tank)
        finally:
            if self._live.get(device_id) is ws:
                del self._live[device_id]
                tank.set_online(False)
                self._hub.bus.fire(EVENT_OTA_DEVICE_SEEN, {"device_id": device_id, "online": False})
        return ws

    async def _identify(self, ws: web.WebSocketResponse) -> str | None:
        try:
            first = await ws.receive(timeout=IDENTIFY_TIMEOUT_S)
        except TimeoutError:
            await self._violation(ws, "no tank-identify within the identify timeout")
            return None
        if first.type is not WSMsgType.TEXT:
            if first.type not in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
                await self._violation(ws, "the first frame must be a text tank-identify")
            return None
        try:
            message = decode(first.data)
        except ProtocolError as err:
            await self._violation(ws, err.reason.value)
            return None
        if not isinstance(message, TankIdentify):
            await self._violation(ws, "the first frame must be tank-identify")
            return None
        device = self._hub.device_registry.verify_token(message.secret, CREDENTIAL_KIND)
        if device is not None and device.id == message.device_id:
            # a node connects as soon as it is paired, possibly before the pairing view
            # has created its tank
            await self.add_device(device)
        if device is None or device.id != message.device_id or device.id not in self._tanks:
            self.rejected += 1
            _LOGGER.warning("Tank node %s refused: bad credentials", message.mac)
            await _close(ws, CloseCode.BAD_CREDENTIALS, "bad credentials")
            return None
        previous = self._live.get(device.id)
        self._live[device.id] = ws
        if previous is not None:
            await _close(previous, CloseCode.SUPERSEDED, "superseded by a newer session")
        if device.sw_version != message.fw:
            await self._hub.device_registry.update(device.id, sw_version=message.fw)
        await ws.send_str(encode(self._config(device.id)))
        self._tanks[device.id].set_online(True)
        self._hub.bus.fire(
            EVENT_OTA_DEVICE_SEEN, {"device_id": device.id, "online": True, "version": message.fw}
        )
        _LOGGER.info("Tank node %s connected (fw %s, boot %s)", device.id, message.fw, message.boot)
        return device.id

    def _config(self, device_id: str) -> Message:
        now_ms = int(self._hub.clock.time() * 1000)
        return config_message(self._tanks[device_id].section, now_ms)

    async def push_config(self, device_id: str) -> bool:
        """Send the current ``tank-config`` to a connected node; False when it is offline."""
        ws = self._live.get(device_id)
        if ws is None:
            return False
        await ws.send_str(encode(self._config(device_id)))
        return True

    async def send_ota(self, device_id: str, command: OtaCommand) -> bool:
        """Send an ``ota`` command to a connected node; False when it is offline."""
        ws = self._live.get(device_id)
        if ws is None or ws.closed:
            return False
        await ws.send_str(encode(command))
        return True

    async def _serve(self, ws: web.WebSocketResponse, tank: Tank) -> None:
        bucket = TokenBucket(RATE_LIMIT_PER_S, RATE_LIMIT_BURST, self._hub.clock.time())
        async for frame in ws:
            if not bucket.take(self._hub.clock.time()):
                self.rate_limited += 1
                _LOGGER.warning("Tank node %s closed: too many frames", tank.device_id)
                await _close(ws, CloseCode.RATE_LIMITED, "rate limited")
                return
            if frame.type is not WSMsgType.TEXT:
                await self._violation(ws, "only text frames are allowed")
                return
            try:
                message = decode(frame.data)
            except ProtocolError as err:
                await self._violation(ws, f"{err.reason.value}: {err.detail}")
                return
            if isinstance(message, TankUpdate):
                received = self._hub.clock.time()
                outcome = tank.process(message, received, late_writer=record_state_at)
                if outcome is Outcome.INVALID:
                    _LOGGER.debug("Tank %s: reading %s unusable", tank.device_id, message.seq)
                if tank.highest is not None:
                    await ws.send_str(encode(Ack(*tank.highest)))
            elif isinstance(message, OtaState):
                _LOGGER.info(
                    "Tank node %s OTA %s %s %s%%",
                    tank.device_id,
                    message.version,
                    message.state,
                    message.progress,
                )
                self._hub.bus.fire(
                    EVENT_OTA_REPORT,
                    {
                        "device_id": tank.device_id,
                        "fw_state": str(message.state),
                        "version": message.version,
                        "progress": message.progress,
                        "error": None if message.error is None else str(message.error),
                        "detail": message.detail,
                    },
                )
            else:
                await self._violation(ws, f"{message.TYPE} is not sent by nodes")
                return

    async def _violation(self, ws: web.WebSocketResponse, detail: str) -> None:
        self.violations += 1
        _LOGGER.warning("Tank node session closed: protocol violation (%s)", detail)
        await _close(ws, CloseCode.PROTOCOL_VIOLATION, detail)


async def _close(ws: web.WebSocketResponse, code: CloseCode, reason: str) -> None:
    """Repeat the close code in a ``close`` frame (for embedded clients), then close."""
    if ws.closed:
        return
    with contextlib.suppress(ConnectionError, RuntimeError):
        await ws.send_str(encode(SessionClose(code=code, reason=reason[:123])))
    await ws.close(code=int(code), message=reason.encode()[:123])
