"""Protocol codec against firmware/protocol/messages.json, plus pairing and TXT parsing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from integrations.tank_node.geometry import TableTank, VerticalCylinder
from integrations.tank_node.protocol import (
    Ack,
    CloseCode,
    FwState,
    OtaError,
    OtaState,
    PairRequest,
    ProtocolError,
    Reason,
    TankConfig,
    TankUpdate,
    decode,
    decode_pair_request,
    encode,
    encode_pair_request,
    parse_txt,
    sequence_key,
    to_dict,
)

VECTORS = json.loads(
    (Path(__file__).resolve().parents[3] / "firmware/protocol/messages.json").read_text(
        encoding="utf-8"
    )
)


@pytest.mark.parametrize("vector", VECTORS["valid"], ids=lambda v: v["name"])
def test_valid_frames_round_trip_to_canonical(vector: dict[str, Any]) -> None:
    message = decode(vector["raw"])
    assert encode(message) == vector["canonical"]
    assert decode(vector["canonical"]) == message
    assert decode(vector["raw"].encode()) == message
    assert to_dict(message) == json.loads(vector["canonical"])


@pytest.mark.parametrize("vector", VECTORS["invalid"], ids=lambda v: v["name"])
def test_invalid_frames_report_the_shared_reason(vector: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode(vector["raw"])
    assert caught.value.reason == vector["error"]
    assert caught.value.detail


@pytest.mark.parametrize("vector", VECTORS["pair_requests"], ids=lambda v: v["raw"][:40])
def test_pair_request_vectors(vector: dict[str, Any]) -> None:
    if "error" in vector:
        with pytest.raises(ProtocolError) as caught:
            decode_pair_request(vector["raw"])
        assert caught.value.reason == vector["error"]
        return
    request = decode_pair_request(vector["raw"])
    assert request == PairRequest(**vector["fields"])
    assert decode_pair_request(encode_pair_request(request)) == request


def test_update_decodes_to_typed_fields() -> None:
    frame = VECTORS["valid"][1]["raw"]
    message = decode(frame)
    assert message == TankUpdate(
        boot=7,
        seq=42,
        ts_ms=1732350000123,
        distance_mm=1234,
        quality=80,
        temperature_dc=215,
        echo_us=7190,
    )


def test_config_carries_a_validated_geometry() -> None:
    configs = [decode(v["raw"]) for v in VECTORS["valid"] if "tank-config" in v["raw"]]
    tanks = [c.tank for c in configs if isinstance(c, TankConfig)]
    assert len(tanks) == len(configs) == 4
    assert isinstance(tanks[0], VerticalCylinder) and tanks[0].max_fill_mm == 1900
    assert isinstance(tanks[-1], TableTank) and tanks[-1].points[1] == (200, 50.5)


def test_encode_leaves_out_unset_optional_fields() -> None:
    state = OtaState(state=FwState.VERIFIED, version="1.0.0", progress=100)
    assert encode(state) == (
        '{"type":"ota-state","v":1,"state":"VERIFIED","version":"1.0.0","progress":100}'
    )
    failed = OtaState(FwState.FAILED, "1.0.0", 5, error=OtaError.CHECKSUM)
    assert json.loads(encode(failed))["error"] == "checksum"


def test_readings_order_by_boot_then_sequence() -> None:
    older = TankUpdate(boot=3, seq=900, ts_ms=0, distance_mm=1, quality=1)
    newer = TankUpdate(boot=4, seq=1, ts_ms=0, distance_mm=1, quality=1)
    assert sequence_key(older) < sequence_key(newer) <= sequence_key(Ack(boot=4, seq=1))


def test_close_codes_are_stable() -> None:
    assert [int(c) for c in CloseCode] == [4001, 4003, 4008, 4009, 4010]


def test_invalid_utf8_is_malformed() -> None:
    with pytest.raises(ProtocolError) as caught:
        decode(b'{"type":"ack","v":1,"boot":1,"seq":1,"x":"\xff"}')
    assert caught.value.reason is Reason.MALFORMED_JSON


def test_txt_record_is_case_insensitive_and_ignores_unknown_keys() -> None:
    advert = parse_txt(
        {
            b"MAC": b"A4-CF-12-0B-9E-01",
            b"model": b"tank-node-esp32",
            b"fw": b"1.2.0",
            b"paired": b"1",
            b"proto": b"1",
            b"id": b"dev-1",
            b"future": None,
        }
    )
    assert advert.mac == "a4:cf:12:0b:9e:01"
    assert advert.paired and advert.proto == 1 and advert.device_id == "dev-1"
    unpaired = parse_txt({"mac": "a4:cf:12:0b:9e:01", "paired": "0"})
    assert not unpaired.paired and unpaired.device_id is None and unpaired.proto is None


@pytest.mark.parametrize("txt", [{}, {"mac": ""}, {"mac": "not-a-mac"}, {"model": "x"}])
def test_txt_record_without_a_mac_is_refused(txt: dict[str, str]) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_txt(txt)
    assert caught.value.reason is Reason.MISSING_FIELD
