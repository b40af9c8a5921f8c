"""A simulated tank node speaking protocol version 1 (``docs/protocols/tank-node.md``).

It advertises ``_smart-tank-node._tcp`` over real mDNS, serves the config endpoints
(``GET /info``, ``POST /pair``, ``POST /reset-pairing``), and once paired connects to the hub's
WebSocket with the protocol's jittered backoff. Readings follow a linear fill or drain
profile; they are buffered until acknowledged, so a node taken offline replays its buffer
when it comes back. Messages are encoded with the hub's own ``protocol`` module.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import random
import socket
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from zeroconf import ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

from integrations.tank_node import geometry
from integrations.tank_node.protocol import (
    SERVICE_TYPE,
    Ack,
    CloseCode,
    FwState,
    OtaCommand,
    OtaError,
    OtaState,
    PairRequest,
    ProtocolError,
    SessionClose,
    TankConfig,
    TankIdentify,
    TankUpdate,
    decode,
    decode_pair_request,
    encode,
)

_LOGGER = logging.getLogger(__name__)

MAX_SHIFT = 20
UINT32 = 0xFFFFFFFF


def backoff_delay_ms(attempt: int, random32: int, base_ms: int = 1000, cap_ms: int = 60000) -> int:
    """Equal-jitter backoff of §4.3: ``exp - exp//2 + r mod (exp//2 + 1)``."""
    exp = min(cap_ms, base_ms * (1 << min(attempt, MAX_SHIFT)))
    half = exp // 2
    return exp - half + random32 % (half + 1)


@dataclass
class Profile:
    """Liquid level over time: ``start_mm`` changing by ``rate_mm_per_h`` (negative drains)."""

    start_mm: float = 800.0
    rate_mm_per_h: float = 0.0

    def level_at(self, elapsed_s: float, top_mm: float) -> float:
        """Level after ``elapsed_s`` seconds, within 0 … ``top_mm``."""
        return min(max(self.start_mm + self.rate_mm_per_h * elapsed_s / 3600.0, 0.0), top_mm)


@dataclass
class OtaSettings:
    """The node's OTA side: the publisher key built into the firmware, slot size, behaviour.

    ``boot_fails`` makes the new image fail its self-test, so the node rolls back to the old
    version and reports ``FAILED/rolled_back``. ``chunk`` is the size of each Range request.
    """

    public_key: bytes | None = None
    slot_size: int = 1_966_080
    boot_fails: bool = False
    chunk: int = 16 * 1024


class OtaAgent:
    """Downloads (resumable, with Range), checks and "flashes" an image like §5 of the spec."""

    def __init__(self, node: SimulatedNode, settings: OtaSettings) -> None:
        self.node = node
        self.settings = settings
        self.partial: tuple[str, bytearray] | None = None
        self.range_requests = 0
        self.pending_confirm: str | None = None
        self.rolled_back: str | None = None
        self.installed: list[str] = []

    async def run(self, ws: aiohttp.ClientWebSocketResponse, command: OtaCommand) -> None:
        """Handle one ``ota`` command; failures are reported, never raised."""
        if command.size > self.settings.slot_size:
            await self._fail(ws, command, OtaError.NO_SPACE, "image larger than the OTA slot")
            return
        await self._state(ws, FwState.DOWNLOADING, command.version, 0)
        try:
            image = await self._download(ws, command)
        except (aiohttp.ClientError, OSError, ValueError) as err:
            await self._fail(ws, command, OtaError.DOWNLOAD, str(err)[:128])
            return
        if image is None:
            return
        self.partial = None
        digest = hashlib.sha256(image).digest()
        if digest.hex() != command.sha256:
            await self._fail(ws, command, OtaError.CHECKSUM, "SHA-256 mismatch")
            return
        await self._state(ws, FwState.DOWNLOADED, command.version, 100)
        if not self._signature_ok(digest, command.signature):
            await self._fail(ws, command, OtaError.SIGNATURE, "signature invalid")
            return
        await self._state(ws, FwState.VERIFIED, command.version, 100)
        await self._state(ws, FwState.UPDATING, command.version, 100)
        await self._reboot(command.version)

    def _signature_ok(self, digest: bytes, signature: str) -> bool:
        if self.settings.public_key is None:
            return False
        try:
            key = Ed25519PublicKey.from_public_bytes(self.settings.public_key)
            key.verify(base64.b64decode(signature), digest)
        except (InvalidSignature, ValueError):
            return False
        return True

    async def _download(
        self, ws: aiohttp.ClientWebSocketResponse, command: OtaCommand
    ) -> bytes | None:
        assert self.node.http is not None
        if self.partial is None or self.partial[0] != command.sha256:
            self.partial = (command.sha256, bytearray())
        data = self.partial[1]
        reported = len(data) * 10 // command.size
        while len(data) < command.size:
            end = min(len(data) + self.settings.chunk, command.size) - 1
            headers = {"Range": f"bytes={len(data)}-{end}"}
            self.range_requests += 1
            async with self.node.http.get(command.url, headers=headers) as response:
                if response.status not in (200, 206):
                    raise ValueError(f"download refused: HTTP {response.status}")
                body = await response.read()
            if response.status == 200:
                data.clear()
            data += body
            if bytes(data[:1]) not in (b"\xe9", b"\x1f"):
                await self._fail(ws, command, OtaError.DOWNLOAD, "magic byte is wrong")
                return None
            if len(data) > command.size:
                await self._fail(ws, command, OtaError.SIZE, "more bytes than announced")
                return None
            step = len(data) * 10 // command.size
            if step > reported:
                reported = step
                await self._state(ws, FwState.DOWNLOADING, command.version, min(step * 10, 99))
        return bytes(data)

    async def _reboot(self, version: str) -> None:
        node = self.node
        old = node.fw
        node.state.boot += 1
        if self.settings.boot_fails:
            self.rolled_back = version
        else:
            node.fw = version
            self.pending_confirm = version
        self.installed.append(version)
        _LOGGER.info("%s: rebooting into %s (was %s)", node.mac, version, old)
        await node.restart_session()

    async def confirmed(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """The hub answered the identify: mark the new image valid, or report the rollback."""
        if self.pending_confirm is not None:
            version, self.pending_confirm = self.pending_confirm, None
            await self._state(ws, FwState.UPDATED, version, 100)
        elif self.rolled_back is not None:
            version, self.rolled_back = self.rolled_back, None
            await self.node.send(
                ws, OtaState(FwState.FAILED, version, 100, OtaError.ROLLED_BACK, "boot failed")
            )

    async def _state(
        self, ws: aiohttp.ClientWebSocketResponse, state: FwState, version: str, progress: int
    ) -> None:
        await self.node.send(ws, OtaState(state, version, progress))

    async def _fail(
        self,
        ws: aiohttp.ClientWebSocketResponse,
        command: OtaCommand,
        error: OtaError,
        detail: str,
    ) -> None:
        self.partial = None if error is not OtaError.DOWNLOAD else self.partial
        await self.node.send(ws, OtaState(FwState.FAILED, command.version, 0, error, detail))


@dataclass
class NodeState:
    """What the node keeps in non-volatile storage."""

    device_id: str | None = None
    hub_url: str | None = None
    secret: str | None = None
    boot: int = 1

    @property
    def paired(self) -> bool:
        """True once credentials were stored."""
        return self.device_id is not None


async def _stop_task(task: asyncio.Task[Any]) -> None:
    """Cancel ``task`` until it ends: a cancellation that lands while ``asyncio.wait_for``
    is finishing can be lost on Python 3.11, so it is repeated instead of awaited once."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=1.0)


class SimulatedNode:
    """One simulated node. Use ``async with SimulatedNode(mac) as node: ...``."""

    def __init__(
        self,
        mac: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        profile: Profile | None = None,
        interval_s: float | None = None,
        advertise: bool = True,
        interfaces: list[str] | None = None,
        model: str = "tank-node-esp32",
        fw: str = "1.2.0",
        backoff_base_ms: int = 1000,
        backoff_cap_ms: int = 60000,
        buffer_size: int = 512,
        clock: Callable[[], float] = time.time,
        state: NodeState | None = None,
        ota: OtaSettings | None = None,
    ) -> None:
        self.mac = mac
        self.host = host
        self.port = port
        self.profile = profile or Profile()
        self.interval_override_s = interval_s
        self.model = model
        self.fw = fw
        self.state = state or NodeState()
        self.hub_status = "connecting" if self.state.paired else "unpaired"
        self.reset_window = False
        self.tank: geometry.TankGeometry | None = None
        self.interval_s = 60.0
        self.buffer: deque[TankUpdate] = deque(maxlen=buffer_size)
        self.sent_frames: list[str] = []
        self.close_codes: list[int] = []
        self._advertise = advertise
        self._interfaces = interfaces or ["127.0.0.1"]
        self._backoff = (backoff_base_ms, backoff_cap_ms)
        self._clock = clock
        self._started = clock()
        self._seq = 0
        self._attempt = 0
        self._online = True
        self._runner: web.AppRunner | None = None
        self._zc: AsyncZeroconf | None = None
        self._info: ServiceInfo | None = None
        self._task: asyncio.Task[None] | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._session: aiohttp.ClientSession | None = None
        self._wake = asyncio.Event()
        self.configured = asyncio.Event()
        self.acked: tuple[int, int] | None = None
        self._ack_event = asyncio.Event()
        self.ota = OtaAgent(self, ota or OtaSettings())
        self._ota_task: asyncio.Task[None] | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def instance_name(self) -> str:
        """``tank-<last 6 hex digits of the MAC>``."""
        return "tank-" + self.mac.replace(":", "")[-6:]

    async def __aenter__(self) -> SimulatedNode:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Serve the config endpoints, advertise, and connect if already paired."""
        app = web.Application()
        app.router.add_get("/info", self._get_info)
        app.router.add_post("/pair", self._post_pair)
        app.router.add_post("/reset-pairing", self._post_reset)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = int(sock.getsockname()[1])
        await web.SockSite(self._runner, sock).start()
        self._session = aiohttp.ClientSession()
        if self._advertise:
            self._zc = AsyncZeroconf(interfaces=self._interfaces)
            self._info = self._service_info()
            await self._zc.async_register_service(self._info)
        self._task = asyncio.create_task(self._run(), name=f"sim:{self.mac}")

    @property
    def http(self) -> aiohttp.ClientSession | None:
        """The node's HTTP client (image downloads)."""
        return self._session

    async def stop(self) -> None:
        """Stop everything (like pulling the plug; storage survives in ``state``)."""
        if self._ota_task is not None:
            await _stop_task(self._ota_task)
        if self._task is not None:
            await _stop_task(self._task)
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()
        if self._zc is not None:
            if self._info is not None:
                await self._zc.async_unregister_service(self._info)
            await self._zc.async_close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- mDNS --------------------------------------------------------------------------------
    def txt(self) -> dict[str, str]:
        """The TXT record of §2."""
        record = {
            "mac": self.mac,
            "model": self.model,
            "fw": self.fw,
            "paired": "1" if self.state.paired else "0",
            "proto": "1",
        }
        if self.state.device_id is not None:
            record["id"] = self.state.device_id
        return record

    def _service_info(self) -> ServiceInfo:
        return ServiceInfo(
            SERVICE_TYPE,
            f"{self.instance_name}.{SERVICE_TYPE}",
            addresses=[socket.inet_aton(self.host)],
            port=self.port,
            properties=self.txt(),
            server=f"{self.instance_name}.local.",
        )

    async def _readvertise(self) -> None:
        if self._zc is not None:
            self._info = self._service_info()
            await self._zc.async_update_service(self._info)

    # -- config server -----------------------------------------------------------------------
    async def _get_info(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "mac": self.mac,
                "model": self.model,
                "fw": self.fw,
                "proto": 1,
                "paired": self.state.paired,
                "device_id": self.state.device_id,
                "hub_url": self.state.hub_url,
                "hub": self.hub_status,
                "reset_window": self.reset_window,
                "uptime_s": int(self._clock() - self._started),
                "buffered": len(self.buffer),
            }
        )

    async def _post_pair(self, request: web.Request) -> web.Response:
        if self.state.paired and not self.reset_window:
            return web.json_response({"error": "already_paired"}, status=409)
        raw = await request.read()
        try:
            pair: PairRequest = decode_pair_request(raw)
        except ProtocolError as err:
            return web.json_response({"error": err.reason.value, "detail": err.detail}, status=400)
        self.state.device_id = pair.device_id
        self.state.hub_url = pair.hub_url
        self.state.secret = pair.secret
        self.hub_status = "connecting"
        self._attempt = 0
        await self._readvertise()
        self._wake.set()
        return web.json_response({"paired": True, "device_id": pair.device_id})

    async def _post_reset(self, request: web.Request) -> web.Response:
        if not self.reset_window:
            return web.json_response({"error": "physical_reset_required"}, status=403)
        await self.forget_pairing()
        return web.json_response({"paired": False})

    async def forget_pairing(self) -> None:
        """Drop credentials and the buffer; advertise ``paired=0``."""
        self.state.device_id = self.state.hub_url = self.state.secret = None
        self.buffer.clear()
        self.hub_status = "unpaired"
        self.configured.clear()
        await self._readvertise()

    # -- readings ----------------------------------------------------------------------------
    def level_mm(self) -> float:
        """The simulated liquid level now."""
        top = geometry.max_fill_mm(self.tank) if self.tank is not None else 10_000.0
        return self.profile.level_at(self._clock() - self._started, top)

    def measure(self) -> TankUpdate:
        """Take one reading and put it in the buffer."""
        self._seq += 1
        distance: int | None = None
        if self.tank is not None:
            distance = max(round(geometry.sensor_height_mm(self.tank) - self.level_mm()), 1)
        reading = TankUpdate(
            boot=self.state.boot,
            seq=self._seq,
            ts_ms=int(self._clock() * 1000),
            distance_mm=distance,
            quality=100 if distance is not None else 0,
        )
        self.buffer.append(reading)
        return reading

    def trigger(self) -> None:
        """Report now instead of waiting for the interval."""
        self._wake.set()

    async def go_offline(self) -> None:
        """Drop the connection and stay away; readings keep being buffered."""
        self._online = False
        if self._ws is not None:
            await self._ws.close()

    async def restart_session(self) -> None:
        """Drop the connection and reconnect at once (a reboot)."""
        self._attempt = 0
        if self._ws is not None:
            await self._ws.close()

    def go_online(self) -> None:
        """Reconnect (and replay the buffer)."""
        self._online = True
        self._wake.set()

    async def wait_acked(self, seq: int) -> None:
        """Wait until the hub acknowledged ``seq`` of the current boot (wrap in a timeout)."""
        while self.acked is None or self.acked < (self.state.boot, seq):
            self._ack_event.clear()
            await self._ack_event.wait()

    # -- WebSocket session -------------------------------------------------------------------
    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def _run(self) -> None:
        while True:
            if not self.state.paired or not self._online:
                if self.tank is not None and self.state.paired:
                    self.measure()
                await self._sleep(self._interval())
                continue
            code = await self._session_once()
            if code == CloseCode.DECOMMISSIONED:
                await self.forget_pairing()
                continue
            base, cap = self._backoff
            if code == CloseCode.BAD_CREDENTIALS:
                self.hub_status = "rejected"
                delay = backoff_delay_ms(MAX_SHIFT, random.getrandbits(32), base, cap)
            else:
                delay = backoff_delay_ms(self._attempt, random.getrandbits(32), base, cap)
                self._attempt += 1
            await self._sleep(delay / 1000.0)

    def _interval(self) -> float:
        return self.interval_override_s if self.interval_override_s else self.interval_s

    async def _session_once(self) -> int | None:
        assert self._session is not None and self.state.hub_url is not None
        url = self.state.hub_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        try:
            async with self._session.ws_connect(url, heartbeat=30.0) as ws:
                self._ws = ws
                await self._send(ws, self._identify())
                reader = asyncio.create_task(self._read(ws))
                try:
                    await self._report_loop(ws, reader)
                finally:
                    # asyncio.wait, not "suppress(CancelledError)": a stop() that cancels
                    # this task while it waits here must not be swallowed.
                    reader.cancel()
                    await asyncio.wait({reader})
                code = ws.close_code
        except (aiohttp.ClientError, OSError) as err:
            _LOGGER.debug("%s: cannot connect: %s", self.mac, err)
            return None
        finally:
            self._ws = None
            self.configured.clear()
        if code is not None:
            self.close_codes.append(code)
        return code

    def _identify(self) -> TankIdentify:
        assert self.state.device_id is not None and self.state.secret is not None
        return TankIdentify(
            device_id=self.state.device_id,
            secret=self.state.secret,
            mac=self.mac,
            model=self.model,
            fw=self.fw,
            boot=self.state.boot,
        )

    async def send(self, ws: aiohttp.ClientWebSocketResponse, message: Any) -> None:
        """Send one message on the session (ignored when the socket closed meanwhile)."""
        if not ws.closed:
            await self._send(ws, message)

    async def _send(self, ws: aiohttp.ClientWebSocketResponse, message: Any) -> None:
        text = encode(message)
        self.sent_frames.append(text)
        await ws.send_str(text)

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        try:
            await self._read_frames(ws)
        finally:
            self._wake.set()

    async def _read_frames(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for frame in ws:
            if frame.type is not aiohttp.WSMsgType.TEXT:
                continue
            try:
                message = decode(frame.data)
            except ProtocolError as err:
                _LOGGER.warning("%s: ignoring frame: %s", self.mac, err)
                continue
            if isinstance(message, TankConfig):
                self.tank = message.tank
                self.interval_s = float(message.interval_s)
                self.hub_status = "connected"
                self._attempt = 0
                self.configured.set()
                self._wake.set()
                await self.ota.confirmed(ws)
            elif isinstance(message, Ack):
                self.acked = (message.boot, message.seq)
                while self.buffer and (self.buffer[0].boot, self.buffer[0].seq) <= self.acked:
                    self.buffer.popleft()
                self._ack_event.set()
            elif isinstance(message, OtaCommand):
                if self._ota_task is None or self._ota_task.done():
                    self._ota_task = asyncio.create_task(
                        self.ota.run(ws, message), name=f"sim-ota:{self.mac}"
                    )
            elif isinstance(message, SessionClose):
                _LOGGER.info("%s: hub closes with %s", self.mac, int(message.code))

    async def _report_loop(
        self, ws: aiohttp.ClientWebSocketResponse, reader: asyncio.Task[None]
    ) -> None:
        configured = asyncio.create_task(self.configured.wait())
        done, _ = await asyncio.wait({configured, reader}, return_when=asyncio.FIRST_COMPLETED)
        configured.cancel()
        if reader in done:
            return
        for reading in list(self.buffer):
            await self._send(ws, reading)
        while not ws.closed and not reader.done() and self._online:
            await self._sleep(self._interval())
            if ws.closed or reader.done() or not self._online:
                break
            await self._send(ws, self.measure())
        if not reader.done():
            await reader


@contextlib.asynccontextmanager
async def running_nodes(
    count: int,
    *,
    profile: Profile,
    interval_s: float | None = None,
    interfaces: list[str] | None = None,
    host: str = "127.0.0.1",
) -> AsyncIterator[list[SimulatedNode]]:
    """Run ``count`` nodes with MACs ``02:00:00:00:00:01``… while the context is open."""
    nodes = [
        SimulatedNode(
            f"02:00:00:00:{(i >> 8) & 0xFF:02x}:{i & 0xFF:02x}",
            host=host,
            profile=profile,
            interval_s=interval_s,
            interfaces=interfaces,
        )
        for i in range(1, count + 1)
    ]
    async with contextlib.AsyncExitStack() as stack:
        for node in nodes:
            await stack.enter_async_context(node)
        yield nodes
