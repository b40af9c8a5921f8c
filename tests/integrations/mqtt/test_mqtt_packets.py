"""The intake's packet reader and encoders: whole, split and malformed streams."""

from __future__ import annotations

import struct

import pytest

from integrations.mqtt import packets as p


def publish(topic: str, payload: bytes, qos: int = 0, pid: int = 0, props: bytes = b"") -> bytes:
    """A PUBLISH packet; ``props`` is an MQTT 5 property block (with its length)."""
    body = struct.pack("!H", len(topic)) + topic.encode()
    if qos:
        body += struct.pack("!H", pid)
    body += props + payload
    return bytes([0x30 | qos << 1]) + p.encode_varint(len(body)) + body


def props(*items: bytes) -> bytes:
    block = b"".join(items)
    return p.encode_varint(len(block)) + block


def test_several_packets_in_one_chunk() -> None:
    reader = p.PacketReader(mqtt5=False)
    stream = (
        publish("a/b", b"1")
        + publish("c", b"22", qos=1, pid=7)
        + publish("d", b"3", qos=2, pid=8)
        + publish("e", b"4", qos=1, pid=65535)
        + b"\xd0\x00"
    )
    result = reader.feed(stream, 5.0)
    assert [(m.topic, m.payload, m.qos, m.timestamp) for m in result.messages] == [
        ("a/b", b"1", 0, 5.0),
        ("c", b"22", 1, 5.0),
        ("d", b"3", 2, 5.0),
        ("e", b"4", 1, 5.0),
    ]
    assert result.packet_ids == [0, 7, 8, 65535]
    assert (result.qos1_ids, result.qos2_ids) == ([7, 65535], [8])
    assert result.control == [p.ControlPacket(p.PINGRESP, 0, b"")]
    assert reader.buffered == 0


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64])
def test_packets_split_across_chunks(size: int) -> None:
    big = b"x" * 20_000  # a four-digit remaining length split mid-varint at small sizes
    stream = publish("t/1", b"a", qos=1, pid=1) + publish("t/2", big) + publish("t/3", b"c")
    reader = p.PacketReader(mqtt5=False)
    seen = []
    for start in range(0, len(stream), size):
        seen.extend(reader.feed(stream[start : start + size], 0.0).messages)
    assert [(m.topic, m.payload) for m in seen] == [("t/1", b"a"), ("t/2", big), ("t/3", b"c")]
    assert reader.buffered == 0


def test_retain_flag_and_empty_payload() -> None:
    packet = bytearray(publish("cfg", b""))
    packet[0] |= 1
    (message,) = p.PacketReader(mqtt5=False).feed(bytes(packet), 0.0).messages
    assert message.retain and message.payload == b""


def test_mqtt5_publish_properties_are_skipped() -> None:
    block = props(
        b"\x01\x01",  # payload format indicator
        b"\x03" + struct.pack("!H", 16) + b"application/json",  # content type
        b"\x26\x00\x01k\x00\x02vv",  # user property
        b"\x0b\x81\x01",  # subscription identifier 129 (two-byte varint)
    )
    stream = publish("s", b'{"v":1}', qos=1, pid=300, props=block) + publish("s", b"2", props=b"\0")
    result = p.PacketReader(mqtt5=True).feed(stream, 0.0)
    assert [m.payload for m in result.messages] == [b'{"v":1}', b"2"]
    assert result.packet_ids == [300, 0]
    parsed, end = p.parse_properties(block, 0)
    assert end == len(block)
    assert parsed == {0x01: 1, 0x03: "application/json", 0x26: [("k", "vv")], 0x0B: 129}


@pytest.mark.parametrize(
    "block",
    [
        b"\x05\x13\x00",  # declares five bytes, has two
        b"\x02\x7f\x00",  # unknown property
        b"\x02\x13\x00\x3c",  # a two-byte value overrunning a two-byte block
    ],
)
def test_bad_property_blocks(block: bytes) -> None:
    with pytest.raises(p.MalformedPacket):
        p.parse_properties(block, 0)


def test_connack_properties() -> None:
    block = props(b"\x13\x00\x1e", b"\x12\x00\x03abc", b"\x21\x00\x0a")
    parsed, _ = p.parse_properties(b"\x00\x00" + block, 2)
    assert parsed == {p.PROP_SERVER_KEEP_ALIVE: 30, 0x12: "abc", 0x21: 10}


@pytest.mark.parametrize(
    "stream",
    [
        b"\x30\xff\xff\xff\xff\x01",  # remaining length of five bytes
        publish("t", b"x", qos=3),
        b"\x30\x03\x00\x09a",  # topic longer than the packet
        b"\x30\x04\x00\x02\xff\xfe",  # topic not UTF-8
    ],
)
def test_malformed_streams(stream: bytes) -> None:
    with pytest.raises(p.MalformedPacket):
        p.PacketReader(mqtt5=False).feed(stream, 0.0)


def test_incomplete_remaining_length_waits() -> None:
    reader = p.PacketReader(mqtt5=False)
    packet = publish("t", b"y" * 200)
    assert reader.feed(packet[:2], 0.0).messages == []  # 0x30 and a continued varint byte
    assert [m.payload for m in reader.feed(packet[2:], 0.0).messages] == [b"y" * 200]


def test_varint_round_trip_and_limits() -> None:
    for value in (0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, p.MAX_REMAINING_LENGTH):
        assert p.read_varint(p.encode_varint(value), 0) == (value, len(p.encode_varint(value)))
    with pytest.raises(ValueError):
        p.encode_varint(p.MAX_REMAINING_LENGTH + 1)


def test_encoders() -> None:
    assert p.ack_packets(p.PUBACK, [1, 258]) == b"\x40\x02\x00\x01\x40\x02\x01\x02"
    assert p.ack_packets(p.PUBREC, [65535]) == b"\x50\x02\xff\xff"
    assert p.ack_packets(p.PUBREL, [2]) == b"\x62\x02\x00\x02"  # PUBREL has flags 0010
    assert p.ack_packets(p.PUBCOMP, []) == b""
    connect = p.connect_packet("hub", 60, mqtt5=False, username="u", password="pw")
    assert connect == (
        b"\x10\x16\x00\x04MQTT\x04\xc0\x00\x3c\x00\x03hub\x00\x01u\x00\x02pw"
    )  # clean_session 0: the broker keeps the session
    connect5 = p.connect_packet("hub", 60, mqtt5=True, session_expiry=86_400)
    assert connect5[8:10] == b"\x05\x00" and b"\x05\x11\x00\x01\x51\x80" in connect5
    assert p.subscribe_packet(5, [("a/#", 1)], mqtt5=False) == b"\x82\x08\x00\x05\x00\x03a/#\x01"
    assert p.subscribe_packet(5, [("a", 1)], mqtt5=True) == b"\x82\x07\x00\x05\x00\x00\x01a\x11"
    assert p.unsubscribe_packet(6, ["a"], mqtt5=False) == b"\xa2\x05\x00\x06\x00\x01a"
