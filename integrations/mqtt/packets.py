"""MQTT 3.1.1 / 5 packets for the intake: the few the client sends, and a bulk reader.

:class:`PacketReader` takes the byte stream in chunks of any size and returns whole
packets: PUBLISH packets as :class:`ReceivedMessage` objects with their packet id, every
other packet as a :class:`ControlPacket`. A packet split across chunks waits for the rest.
"""

from __future__ import annotations

import struct
import sys
from array import array
from dataclasses import dataclass, field
from typing import Any, Final

from .models import ReceivedMessage

CONNECT: Final = 1
CONNACK: Final = 2
PUBLISH: Final = 3
PUBACK: Final = 4
PUBREC: Final = 5
PUBREL: Final = 6
PUBCOMP: Final = 7
SUBSCRIBE: Final = 8
SUBACK: Final = 9
UNSUBSCRIBE: Final = 10
UNSUBACK: Final = 11
PINGREQ: Final = 12
PINGRESP: Final = 13
DISCONNECT: Final = 14

PINGREQ_PACKET: Final = b"\xc0\x00"
DISCONNECT_PACKET: Final = b"\xe0\x00"
MAX_REMAINING_LENGTH: Final = 268_435_455
RETAIN_SEND_IF_NEW_SUB: Final = 0x10  # MQTT 5 subscription option: retained only if new

# MQTT 5 property identifiers → value type ("b" byte, "h" two bytes, "i" four bytes,
# "v" variable byte integer, "s" UTF-8 string, "d" binary data, "p" string pair).
PROPERTY_TYPES: Final = {
    0x01: "b", 0x02: "i", 0x03: "s", 0x08: "s", 0x09: "d", 0x0B: "v", 0x11: "i",
    0x12: "s", 0x13: "h", 0x15: "s", 0x16: "d", 0x17: "b", 0x18: "i", 0x19: "b",
    0x1A: "s", 0x1C: "s", 0x1F: "s", 0x21: "h", 0x22: "h", 0x23: "h", 0x24: "b",
    0x25: "b", 0x26: "p", 0x27: "i", 0x28: "b", 0x29: "b", 0x2A: "b",
}  # fmt: skip
PROP_SESSION_EXPIRY: Final = 0x11
PROP_SERVER_KEEP_ALIVE: Final = 0x13
PROP_REASON_STRING: Final = 0x1F

_LITTLE_ENDIAN = sys.byteorder == "little"
_U16 = struct.Struct("!H")
_U32 = struct.Struct("!I")


class MalformedPacket(ValueError):
    """The stream broke the protocol; the connection must be closed."""


@dataclass(frozen=True, slots=True)
class ControlPacket:
    """A packet other than PUBLISH: its type, flags and body (without the fixed header)."""

    type: int
    flags: int
    body: bytes


# -- encoding -----------------------------------------------------------------------------
def encode_varint(value: int) -> bytes:
    """A variable byte integer (remaining length, property lengths)."""
    if not 0 <= value <= MAX_REMAINING_LENGTH:
        raise ValueError(f"{value} does not fit a variable byte integer")
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _string(value: str | bytes) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return _U16.pack(len(data)) + data


def _packet(first: int, body: bytes) -> bytes:
    return bytes([first]) + encode_varint(len(body)) + body


def connect_packet(
    client_id: str,
    keepalive: int,
    *,
    mqtt5: bool,
    session_expiry: int = 0,
    username: str | None = None,
    password: str | None = None,
) -> bytes:
    """CONNECT keeping the session: ``clean_session`` 0, or clean start 0 plus expiry."""
    flags = (0x80 if username is not None else 0) | (0x40 if password is not None else 0)
    body = _string("MQTT") + bytes([5 if mqtt5 else 4, flags]) + _U16.pack(keepalive)
    if mqtt5:
        props = bytes([PROP_SESSION_EXPIRY]) + _U32.pack(session_expiry)
        body += encode_varint(len(props)) + props
    body += _string(client_id)
    if username is not None:
        body += _string(username)
    if password is not None:
        body += _string(password)
    return _packet(CONNECT << 4, body)


def subscribe_packet(packet_id: int, filters: list[tuple[str, int]], *, mqtt5: bool) -> bytes:
    """SUBSCRIBE for ``(filter, qos)`` pairs (MQTT 5: retained messages only if new)."""
    body = _U16.pack(packet_id) + (b"\x00" if mqtt5 else b"")
    for topic_filter, qos in filters:
        body += _string(topic_filter) + bytes([qos | (RETAIN_SEND_IF_NEW_SUB if mqtt5 else 0)])
    return _packet((SUBSCRIBE << 4) | 2, body)


def unsubscribe_packet(packet_id: int, filters: list[str], *, mqtt5: bool) -> bytes:
    """UNSUBSCRIBE for ``filters``."""
    body = _U16.pack(packet_id) + (b"\x00" if mqtt5 else b"")
    for topic_filter in filters:
        body += _string(topic_filter)
    return _packet((UNSUBSCRIBE << 4) | 2, body)


def ack_packets(packet_type: int, packet_ids: list[int]) -> bytes:
    """PUBACK (or PUBREC/PUBCOMP) for each id, in one buffer for one write.

    Each is four bytes (type, length 2, id), so they are built as one array of 32-bit
    big-endian words.
    """
    first = (packet_type << 4) | (2 if packet_type == PUBREL else 0)
    words = array("I", map(((first << 24) | (2 << 16)).__or__, packet_ids))
    if _LITTLE_ENDIAN:
        words.byteswap()
    return words.tobytes()


# -- decoding -----------------------------------------------------------------------------
def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """A variable byte integer at ``pos``: ``(value, position after it)``.

    Raises :class:`MalformedPacket` past four bytes, :class:`IndexError` if cut short.
    """
    value = 0
    for shift in (0, 7, 14, 21):
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
    raise MalformedPacket("variable byte integer longer than four bytes")


def parse_properties(data: bytes, pos: int) -> tuple[dict[int, Any], int]:
    """An MQTT 5 property block at ``pos``: ``(properties, position after the block)``.

    User properties (repeatable) are collected in a list; other values are ints, strings
    or bytes.
    """
    try:
        length, pos = read_varint(data, pos)
        end = pos + length
        if end > len(data):
            raise MalformedPacket("property length past the end of the packet")
        props: dict[int, Any] = {}
        while pos < end:
            ident, pos = read_varint(data, pos)
            kind = PROPERTY_TYPES.get(ident)
            value: Any
            if kind == "b":
                value, pos = data[pos], pos + 1
            elif kind == "h":
                value, pos = _U16.unpack_from(data, pos)[0], pos + 2
            elif kind == "i":
                value, pos = _U32.unpack_from(data, pos)[0], pos + 4
            elif kind == "v":
                value, pos = read_varint(data, pos)
            elif kind in ("s", "d"):
                size = _U16.unpack_from(data, pos)[0]
                raw = data[pos + 2 : pos + 2 + size]
                pos += 2 + size
                value = raw.decode() if kind == "s" else bytes(raw)
            elif kind == "p":
                key, pos = _read_string(data, pos)
                val, pos = _read_string(data, pos)
                props.setdefault(ident, []).append((key, val))
                continue
            else:
                raise MalformedPacket(f"unknown property 0x{ident:02x}")
            props[ident] = value
        if pos != end:
            raise MalformedPacket("property overruns its block")
        return props, end
    except (IndexError, struct.error, UnicodeDecodeError) as err:
        raise MalformedPacket(f"bad property block: {err}") from err


def _read_string(data: bytes, pos: int) -> tuple[str, int]:
    size = _U16.unpack_from(data, pos)[0]
    end = pos + 2 + size
    if end > len(data):
        raise MalformedPacket("string past the end of the packet")
    return data[pos + 2 : end].decode(), end


@dataclass(slots=True)
class ReadResult:
    """What one chunk completed: messages with their packet ids (0 for QoS 0), the rest."""

    messages: list[ReceivedMessage] = field(default_factory=list)
    packet_ids: list[int] = field(default_factory=list)
    control: list[ControlPacket] = field(default_factory=list)
    qos1_ids: list[int] = field(default_factory=list)
    """The ids of the QoS 1 messages (to acknowledge with PUBACK), in order."""
    qos2_ids: list[int] = field(default_factory=list)
    """The ids of the QoS 2 messages (to answer with PUBREC), in order."""


class PacketReader:
    """Splits the incoming byte stream into packets, many per call."""

    def __init__(self, *, mqtt5: bool) -> None:
        self._mqtt5 = mqtt5
        self._chunks: list[bytes] = []
        self._buffered = 0
        self._need = 0  # bytes needed before the held chunks hold a whole packet

    @property
    def buffered(self) -> int:
        """Bytes held back as the start of an incomplete packet."""
        return self._buffered

    def feed(self, data: bytes, now: float) -> ReadResult:
        """Parse every complete packet in what was held plus ``data``.

        Raises :class:`MalformedPacket` when the stream cannot be a valid one.
        """
        if self._chunks:
            self._chunks.append(data)
            self._buffered += len(data)
            if self._buffered < self._need:
                return ReadResult()
            data = b"".join(self._chunks)
            self._chunks.clear()
        result = ReadResult()
        pos, need = self._parse(data, now, result)
        if pos < len(data):
            self._chunks.append(data[pos:])
            self._buffered = len(data) - pos
            self._need = need
        else:
            self._buffered = self._need = 0
        return result

    def _parse(self, data: bytes, now: float, result: ReadResult) -> tuple[int, int]:
        """Parse from 0; return where the incomplete tail starts and the size it needs."""
        end = len(data)
        pos = 0
        messages = result.messages
        packet_ids = result.packet_ids
        qos1_ids = result.qos1_ids
        mqtt5 = self._mqtt5
        while pos < end:
            first = data[pos]
            # Remaining length: one byte in most packets, up to four.
            i = pos + 1
            if i >= end:
                return pos, 2
            byte = data[i]
            length = byte & 0x7F
            i += 1
            shift = 7
            while byte & 0x80:
                if shift > 21:
                    raise MalformedPacket("remaining length longer than four bytes")
                if i >= end:
                    return pos, i - pos + 1
                byte = data[i]
                length |= (byte & 0x7F) << shift
                i += 1
                shift += 7
            stop = i + length
            if stop > end:
                return pos, stop - pos
            if first >> 4 == PUBLISH:
                qos = (first >> 1) & 3
                try:
                    start = i + 2 + ((data[i] << 8) | data[i + 1])
                    topic = data[i + 2 : start].decode()
                    if qos:
                        packet_id = (data[start] << 8) | data[start + 1]
                        packet_ids.append(packet_id)
                        (qos1_ids if qos == 1 else result.qos2_ids).append(packet_id)
                        start += 2
                    else:
                        packet_ids.append(0)
                    if mqtt5:
                        props, start = read_varint(data, start)
                        start += props
                except (IndexError, UnicodeDecodeError) as err:
                    raise MalformedPacket(f"bad PUBLISH header: {err}") from err
                if start > stop or qos == 3:
                    raise MalformedPacket("PUBLISH header longer than the packet, or QoS 3")
                messages.append(ReceivedMessage(topic, data[start:stop], qos, bool(first & 1), now))
            else:
                result.control.append(ControlPacket(first >> 4, first & 0x0F, data[i:stop]))
            pos = stop
        return pos, 0
