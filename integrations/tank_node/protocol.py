"""Tank node wire protocol, version 1 (spec: ``docs/protocols/tank-node.md``).

Typed messages, ``decode``/``encode`` for WebSocket frames, the pairing request body and the
mDNS TXT record. Vectors shared with the firmware live in ``firmware/protocol/``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, ClassVar, NoReturn

from .geometry import (
    MAX_TABLE_POINTS,
    HorizontalCylinder,
    Rectangular,
    TableTank,
    TankGeometry,
    VerticalCylinder,
    validate,
)

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 2048
SERVICE_TYPE = "_smart-tank-node._tcp.local."
WS_PATH = "/api/tank_node/ws"
UINT32_MAX = 0xFFFFFFFF
MAX_OTA_SIZE = 16 * 1024 * 1024

_SEMVER = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?")
_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_PRINTABLE = re.compile(r"[\x21-\x7e]+")
_URL = re.compile(r"(https?|wss?)://[\x21-\x7e]+")


class Reason(StrEnum):
    """Why a frame was refused; the same codes are used by the firmware."""

    TOO_LARGE = "too_large"
    MALFORMED_JSON = "malformed_json"
    NOT_OBJECT = "not_object"
    MISSING_TYPE = "missing_type"
    UNKNOWN_TYPE = "unknown_type"
    UNSUPPORTED_VERSION = "unsupported_version"
    MISSING_FIELD = "missing_field"
    BAD_FIELD_TYPE = "bad_field_type"
    BAD_FIELD_VALUE = "bad_field_value"


class ProtocolError(ValueError):
    """A frame or body that violates the protocol."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class CloseCode(IntEnum):
    """WebSocket close codes the hub uses on the node session."""

    BAD_CREDENTIALS = 4001
    DECOMMISSIONED = 4003
    PROTOCOL_VIOLATION = 4008
    RATE_LIMITED = 4009
    SUPERSEDED = 4010


class FwState(StrEnum):
    """OTA states reported by the node (ThingsBoard ``fw_state`` vocabulary)."""

    DOWNLOADING = "DOWNLOADING"
    DOWNLOADED = "DOWNLOADED"
    VERIFIED = "VERIFIED"
    UPDATING = "UPDATING"
    UPDATED = "UPDATED"
    FAILED = "FAILED"


class OtaError(StrEnum):
    """Failure codes carried by a FAILED ``ota-state``."""

    DOWNLOAD = "download"
    SIZE = "size"
    CHECKSUM = "checksum"
    SIGNATURE = "signature"
    FLASH_WRITE = "flash_write"
    NO_SPACE = "no_space"
    ROLLED_BACK = "rolled_back"


# --- messages: node → hub -------------------------------------------------------------------


@dataclass(frozen=True)
class TankIdentify:
    """First frame of a session: the node's credentials and identity."""

    TYPE: ClassVar[str] = "tank-identify"
    device_id: str
    secret: str
    mac: str
    model: str
    fw: str
    boot: int


@dataclass(frozen=True)
class TankUpdate:
    """One reading. ``ts_ms`` is Unix time in ms (0: the node had no clock).

    ``distance_mm`` is None when no echo came back; ``quality`` is the share of valid pings
    in the burst (0–100); ``temperature_dc`` is in 0.1 °C; ``echo_us`` is the raw round-trip
    echo time of the reported distance.
    """

    TYPE: ClassVar[str] = "tank-update"
    boot: int
    seq: int
    ts_ms: int
    distance_mm: int | None
    quality: int
    temperature_dc: int | None = None
    echo_us: int | None = None


@dataclass(frozen=True)
class OtaState:
    """OTA progress or result of the node."""

    TYPE: ClassVar[str] = "ota-state"
    state: FwState
    version: str
    progress: int
    error: OtaError | None = None
    detail: str | None = None


# --- messages: hub → node -------------------------------------------------------------------


@dataclass(frozen=True)
class TankConfig:
    """Tank geometry, report interval and the hub's clock, sent after a good identify."""

    TYPE: ClassVar[str] = "tank-config"
    interval_s: int
    now_ms: int
    deep_sleep: bool
    tank: TankGeometry


@dataclass(frozen=True)
class Ack:
    """Cumulative acknowledgement: every reading up to (boot, seq) is stored."""

    TYPE: ClassVar[str] = "ack"
    boot: int
    seq: int


@dataclass(frozen=True)
class OtaCommand:
    """Install the image at ``url``; ``signature`` is Ed25519 over the raw SHA-256 digest."""

    TYPE: ClassVar[str] = "ota"
    url: str
    version: str
    size: int
    sha256: str
    signature: str


@dataclass(frozen=True)
class SessionClose:
    """Sent right before the hub closes the socket with ``code``.

    Embedded WebSocket clients often do not surface the close frame's code, so the hub repeats
    it in a text frame first.
    """

    TYPE: ClassVar[str] = "close"
    code: CloseCode
    reason: str | None = None


Message = TankIdentify | TankUpdate | OtaState | TankConfig | Ack | OtaCommand | SessionClose
_TYPES = frozenset(
    cls.TYPE
    for cls in (TankIdentify, TankUpdate, OtaState, TankConfig, Ack, OtaCommand, SessionClose)
)


def sequence_key(message: TankUpdate | Ack) -> tuple[int, int]:
    """Total order of readings: boot ids increase across reboots, seq within a boot."""
    return (message.boot, message.seq)


# --- field readers --------------------------------------------------------------------------


def _fail(reason: Reason, detail: str) -> NoReturn:
    raise ProtocolError(reason, detail)


class _Fields:
    """Typed, bounded access to a decoded JSON object."""

    def __init__(self, data: Mapping[str, Any], where: str) -> None:
        self._data = data
        self._where = where

    def _get(self, name: str, optional: bool) -> Any:
        value = self._data.get(name)
        if value is None and not optional:
            _fail(Reason.MISSING_FIELD, f"{self._where}: '{name}' is required")
        return value

    def integer(self, name: str, lo: int, hi: int, *, optional: bool = False) -> Any:
        value = self._get(name, optional)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            _fail(Reason.BAD_FIELD_TYPE, f"{self._where}: '{name}' must be an integer")
        if not lo <= value <= hi:
            _fail(Reason.BAD_FIELD_VALUE, f"{self._where}: '{name}' must be in {lo}..{hi}")
        return value

    def nullable_int(self, name: str, lo: int, hi: int) -> int | None:
        if name not in self._data:
            _fail(Reason.MISSING_FIELD, f"{self._where}: '{name}' is required")
        value: int | None = self.integer(name, lo, hi, optional=True)
        return value

    def number(self, name: str, *, optional: bool = False) -> Any:
        value = self._get(name, optional)
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            _fail(Reason.BAD_FIELD_TYPE, f"{self._where}: '{name}' must be a number")
        return value

    def boolean(self, name: str) -> bool:
        value = self._get(name, optional=False)
        if not isinstance(value, bool):
            _fail(Reason.BAD_FIELD_TYPE, f"{self._where}: '{name}' must be true or false")
        return value

    def text(
        self,
        name: str,
        max_len: int,
        pattern: re.Pattern[str] | None = None,
        *,
        optional: bool = False,
    ) -> Any:
        value = self._get(name, optional)
        if value is None:
            return None
        if not isinstance(value, str):
            _fail(Reason.BAD_FIELD_TYPE, f"{self._where}: '{name}' must be a string")
        if not value or len(value.encode()) > max_len:
            _fail(Reason.BAD_FIELD_VALUE, f"{self._where}: '{name}' must be 1..{max_len} bytes")
        if pattern is not None and not pattern.fullmatch(value):
            _fail(Reason.BAD_FIELD_VALUE, f"{self._where}: '{name}' is not well formed")
        return value

    def choice(self, name: str, choices: type[StrEnum], *, optional: bool = False) -> Any:
        value = self.text(name, 32, optional=optional)
        if value is None:
            return None
        try:
            return choices(value)
        except ValueError:
            _fail(Reason.BAD_FIELD_VALUE, f"{self._where}: '{name}' has unknown value {value!r}")

    def object(self, name: str) -> Mapping[str, Any]:
        value = self._get(name, optional=False)
        if not isinstance(value, dict):
            _fail(Reason.BAD_FIELD_TYPE, f"{self._where}: '{name}' must be an object")
        return value


def _signature(value: str) -> str:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        _fail(Reason.BAD_FIELD_VALUE, "ota: 'signature' is not base64")
    if len(raw) != 64:
        _fail(Reason.BAD_FIELD_VALUE, "ota: 'signature' must decode to 64 bytes")
    return value


def _points(value: Any) -> tuple[tuple[float, float], ...]:
    if not isinstance(value, list):
        _fail(Reason.BAD_FIELD_TYPE, "tank: 'points' must be a list")
    if len(value) > MAX_TABLE_POINTS:
        _fail(Reason.BAD_FIELD_VALUE, f"tank: at most {MAX_TABLE_POINTS} points")
    points: list[tuple[float, float]] = []
    for point in value:
        ok = isinstance(point, list) and len(point) == 2
        if not ok or any(isinstance(x, bool) or not isinstance(x, int | float) for x in point):
            _fail(Reason.BAD_FIELD_TYPE, "tank: each point must be [level_mm, volume_l]")
        points.append((point[0], point[1]))
    return tuple(points)


def tank_from_dict(data: Mapping[str, Any]) -> TankGeometry:
    """Build a geometry from its wire object, checking types only (see ``decode_tank``)."""
    f = _Fields(data, "tank")
    shape = f.text("shape", 32)
    mounting: dict[str, Any] = {
        "sensor_offset_mm": f.number("sensor_offset_mm"),
        "blind_zone_mm": f.number("blind_zone_mm"),
        "max_fill_mm": f.number("max_fill_mm", optional=True),
    }
    tank: TankGeometry
    if shape == VerticalCylinder.shape:
        tank = VerticalCylinder(
            diameter_mm=f.number("diameter_mm"), height_mm=f.number("height_mm"), **mounting
        )
    elif shape == HorizontalCylinder.shape:
        tank = HorizontalCylinder(
            diameter_mm=f.number("diameter_mm"), length_mm=f.number("length_mm"), **mounting
        )
    elif shape == Rectangular.shape:
        tank = Rectangular(
            length_mm=f.number("length_mm"),
            width_mm=f.number("width_mm"),
            height_mm=f.number("height_mm"),
            **mounting,
        )
    elif shape == TableTank.shape:
        if "points" not in data:
            _fail(Reason.MISSING_FIELD, "tank: 'points' is required")
        points = _points(data["points"])
        tank = TableTank(height_mm=f.number("height_mm"), points=points, **mounting)
    else:
        _fail(Reason.BAD_FIELD_VALUE, f"tank: unknown shape {shape!r}")
    return tank


def decode_tank(data: Mapping[str, Any]) -> TankGeometry:
    """Build and validate a geometry from its wire object; impossible configs are refused."""
    tank = tank_from_dict(data)
    problems = validate(tank)
    if problems:
        _fail(Reason.BAD_FIELD_VALUE, f"tank: {problems[0].code}: {problems[0].message}")
    return tank


def _decode_body(kind: str, f: _Fields) -> Message:
    if kind == TankIdentify.TYPE:
        return TankIdentify(
            device_id=f.text("device_id", 64, _PRINTABLE),
            secret=f.text("secret", 128, _PRINTABLE),
            mac=f.text("mac", 17, _MAC),
            model=f.text("model", 32, _PRINTABLE),
            fw=f.text("fw", 32, _SEMVER),
            boot=f.integer("boot", 0, UINT32_MAX),
        )
    if kind == TankUpdate.TYPE:
        return TankUpdate(
            boot=f.integer("boot", 0, UINT32_MAX),
            seq=f.integer("seq", 1, UINT32_MAX),
            ts_ms=f.integer("ts_ms", 0, 2**53),
            distance_mm=f.nullable_int("distance_mm", 0, 100_000),
            quality=f.integer("quality", 0, 100),
            temperature_dc=f.integer("temperature_dc", -600, 1500, optional=True),
            echo_us=f.integer("echo_us", 0, 1_000_000, optional=True),
        )
    if kind == OtaState.TYPE:
        return OtaState(
            state=f.choice("state", FwState),
            version=f.text("version", 32, _SEMVER),
            progress=f.integer("progress", 0, 100),
            error=f.choice("error", OtaError, optional=True),
            detail=f.text("detail", 128, optional=True),
        )
    if kind == TankConfig.TYPE:
        return TankConfig(
            interval_s=f.integer("interval_s", 5, 86_400),
            now_ms=f.integer("now_ms", 0, 2**53),
            deep_sleep=f.boolean("deep_sleep"),
            tank=decode_tank(f.object("tank")),
        )
    if kind == Ack.TYPE:
        return Ack(boot=f.integer("boot", 0, UINT32_MAX), seq=f.integer("seq", 1, UINT32_MAX))
    if kind == OtaCommand.TYPE:
        return OtaCommand(
            url=f.text("url", 256, _URL),
            version=f.text("version", 32, _SEMVER),
            size=f.integer("size", 1, MAX_OTA_SIZE),
            sha256=f.text("sha256", 64, _SHA256),
            signature=_signature(f.text("signature", 100)),
        )
    if kind == SessionClose.TYPE:
        code = f.integer("code", 4000, 4999)
        try:
            close_code = CloseCode(code)
        except ValueError:
            _fail(Reason.BAD_FIELD_VALUE, f"close: unknown code {code}")
        return SessionClose(code=close_code, reason=f.text("reason", 123, optional=True))
    _fail(Reason.UNKNOWN_TYPE, f"unknown message type {kind!r}")


def _reject_constant(name: str) -> NoReturn:
    _fail(Reason.MALFORMED_JSON, f"{name} is not valid JSON")


def parse_object(raw: str | bytes, max_bytes: int = MAX_FRAME_BYTES) -> dict[str, Any]:
    """Parse strict JSON (no NaN/Infinity) that must be an object of at most ``max_bytes``."""
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode())
    if size > max_bytes:
        _fail(Reason.TOO_LARGE, f"frame of {size} bytes exceeds {max_bytes}")
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        _fail(Reason.MALFORMED_JSON, str(err))
    if not isinstance(data, dict):
        _fail(Reason.NOT_OBJECT, "a frame must be a JSON object")
    return data


def decode(raw: str | bytes) -> Message:
    """Decode and validate one WebSocket frame; raise ProtocolError with a reason."""
    data = parse_object(raw)
    kind = data.get("type")
    if not isinstance(kind, str):
        _fail(Reason.MISSING_TYPE, "'type' must be a string")
    version = data.get("v")
    if kind not in _TYPES:
        _fail(Reason.UNKNOWN_TYPE, f"unknown message type {kind!r}")
    if type(version) is not int or version != PROTOCOL_VERSION:
        _fail(Reason.UNSUPPORTED_VERSION, f"'v' must be {PROTOCOL_VERSION}, got {version!r}")
    return _decode_body(kind, _Fields(data, kind))


# --- encoding -------------------------------------------------------------------------------


def tank_to_dict(tank: TankGeometry) -> dict[str, Any]:
    """The wire object of a geometry (canonical key order)."""
    out: dict[str, Any] = {"shape": tank.shape}
    if isinstance(tank, VerticalCylinder):
        out |= {"diameter_mm": tank.diameter_mm, "height_mm": tank.height_mm}
    elif isinstance(tank, HorizontalCylinder):
        out |= {"diameter_mm": tank.diameter_mm, "length_mm": tank.length_mm}
    elif isinstance(tank, Rectangular):
        out |= {"length_mm": tank.length_mm, "width_mm": tank.width_mm}
        out["height_mm"] = tank.height_mm
    else:
        out |= {"height_mm": tank.height_mm, "points": [list(p) for p in tank.points]}
    out |= {"sensor_offset_mm": tank.sensor_offset_mm, "blind_zone_mm": tank.blind_zone_mm}
    if tank.max_fill_mm is not None:
        out["max_fill_mm"] = tank.max_fill_mm
    return out


def _body(message: Message) -> dict[str, Any]:
    if isinstance(message, TankConfig):
        return {
            "interval_s": message.interval_s,
            "now_ms": message.now_ms,
            "deep_sleep": message.deep_sleep,
            "tank": tank_to_dict(message.tank),
        }
    body = dict(vars(message))
    if isinstance(message, TankUpdate):
        return {k: v for k, v in body.items() if v is not None or k == "distance_mm"}
    return {
        k: str(v) if isinstance(v, StrEnum) else int(v) if isinstance(v, IntEnum) else v
        for k, v in body.items()
        if v is not None
    }


def to_dict(message: Message) -> dict[str, Any]:
    """The canonical JSON object of ``message`` (envelope first, optional None fields left out)."""
    return {"type": message.TYPE, "v": PROTOCOL_VERSION, **_body(message)}


def encode(message: Message) -> str:
    """Canonical compact JSON text of ``message``."""
    return json.dumps(to_dict(message), separators=(",", ":"), ensure_ascii=False)


# --- pairing and discovery ------------------------------------------------------------------


@dataclass(frozen=True)
class PairRequest:
    """Body of ``POST /pair`` on the node's config server."""

    hub_url: str
    device_id: str
    secret: str


def encode_pair_request(request: PairRequest) -> str:
    """JSON body for ``POST /pair``."""
    return json.dumps(vars(request), separators=(",", ":"))


def decode_pair_request(raw: str | bytes) -> PairRequest:
    """Validate a ``POST /pair`` body (what the node and the simulator accept)."""
    f = _Fields(parse_object(raw, max_bytes=512), "pair")
    return PairRequest(
        hub_url=f.text("hub_url", 256, _URL),
        device_id=f.text("device_id", 64, _PRINTABLE),
        secret=f.text("secret", 128, _PRINTABLE),
    )


@dataclass(frozen=True)
class NodeAdvert:
    """What a node's ``_smart-tank-node._tcp`` TXT record says about it."""

    mac: str
    model: str | None
    fw: str | None
    paired: bool
    proto: int | None
    device_id: str | None


def _txt_text(value: str | bytes | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def parse_txt(
    properties: Mapping[str, str | bytes | None] | Mapping[bytes, bytes | None],
) -> NodeAdvert:
    """Read a TXT record: keys are case-insensitive, unknown keys ignored, ``mac`` required."""
    txt: dict[str, str | None] = {}
    for key, value in properties.items():
        name = key.decode("utf-8", errors="replace") if isinstance(key, bytes) else key
        txt[name.lower()] = _txt_text(value)
    mac = (txt.get("mac") or "").lower().replace("-", ":")
    if not _MAC.fullmatch(mac):
        _fail(Reason.MISSING_FIELD, "TXT record lacks a valid 'mac'")
    proto = txt.get("proto")
    return NodeAdvert(
        mac=mac,
        model=txt.get("model") or None,
        fw=txt.get("fw") or None,
        paired=txt.get("paired") == "1",
        proto=int(proto) if proto is not None and proto.isdigit() else None,
        device_id=txt.get("id") or None,
    )
