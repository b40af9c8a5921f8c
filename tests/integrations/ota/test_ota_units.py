"""Pure parts: image headers, signatures, tokens, planning, policies and the record rules."""

from __future__ import annotations

import argparse
import base64
import hashlib
from pathlib import Path

import pytest
from ota_helpers import Publisher, build_image

from hub.api import version_is_newer
from integrations.ota import cli
from integrations.ota.image import ImageError, ImageFormat, check_image, inspect_header
from integrations.ota.models import FwState, Policy, Record, RecordState
from integrations.ota.planning import split_groups
from integrations.ota.signing import load_public_key, verify_digest
from integrations.ota.tokens import TokenSigner


def test_app_descriptor_is_parsed() -> None:
    info = inspect_header(build_image("2.0.1", project="tank-node")[:300], "esp32")
    assert info.format is ImageFormat.ESP32_APP
    assert info.descriptor is not None
    assert (info.descriptor.version, info.descriptor.project_name) == ("2.0.1", "tank-node")
    assert info.descriptor.idf_version == "v5.3"


@pytest.mark.parametrize(
    ("header", "chip", "outcome"),
    [
        (b"\x1f\x8b\x08\x00rest", "esp8266", ImageFormat.GZIP),
        (b"\x1f\x8b\x08\x00rest", "esp32", "magic"),
        (b"\xe9\x03\x02\x20" + b"\0" * 40, "esp8266", ImageFormat.ESP_IMAGE),
        (b"\x7fELF", "esp32", "magic"),
        (b"", "esp32", "magic"),
    ],
)
def test_magic_bytes(header: bytes, chip: str, outcome: object) -> None:
    if isinstance(outcome, ImageFormat):
        assert inspect_header(header, chip).format is outcome
    else:
        with pytest.raises(ImageError) as err:
            inspect_header(header, chip)
        assert err.value.code == outcome


def test_slot_size_is_enforced() -> None:
    info = inspect_header(build_image("1.0.0"), "esp32")
    check_image(info, size=1000, slot_size=1000, project_name="tank-node", version="1.0.0")
    with pytest.raises(ImageError, match="exceeds the OTA slot"):
        check_image(info, size=1001, slot_size=1000, project_name="tank-node", version="1.0.0")


def test_signature_covers_the_digest() -> None:
    publisher = Publisher.new()
    image = build_image("1.0.0")
    signature = publisher.sign(image)
    key = load_public_key(publisher.public_text)
    assert verify_digest([key], hashlib.sha256(image).digest(), signature)
    assert not verify_digest([key], hashlib.sha256(image + b"x").digest(), signature)
    assert not verify_digest([key], hashlib.sha256(image).digest(), "bm90IGEgc2ln")


def test_tokens_cannot_be_forged() -> None:
    signer = TokenSigner(b"k" * 32)
    token = signer.token("abc")
    assert signer.rollout_of(token) == "abc"
    assert signer.rollout_of("abc." + "0" * 40) is None
    assert TokenSigner(b"x" * 32).rollout_of(token) is None


@pytest.mark.parametrize(
    ("count", "canary", "groups", "sizes"),
    [
        (50, ("percent", 10.0), [100.0], [5, 45]),
        (50, ("percent", 10.0), [50.0, 100.0], [5, 20, 25]),
        (3, ("count", 5.0), [100.0], [3]),
        (10, ("count", 0.0), [100.0], [10]),
        (7, ("count", 1.0), [25.0, 100.0], [1, 1, 5]),
    ],
)
def test_groups(
    count: int, canary: tuple[str, float], groups: list[float], sizes: list[int]
) -> None:
    ids = [str(i) for i in range(count)]
    split = split_groups(ids, canary, groups)
    assert [len(g) for g in split] == sizes
    assert [d for g in split for d in g] == ids


@pytest.mark.parametrize(
    ("kind", "value", "failures", "size", "exceeded"),
    [
        ("count", 1, 0, 10, False),
        ("count", 1, 1, 10, True),
        ("count", 3, 2, 10, False),
        ("percent", 20, 1, 10, False),
        ("percent", 20, 2, 10, True),
    ],
)
def test_error_threshold(kind: str, value: float, failures: int, size: int, exceeded: bool) -> None:
    assert Policy(error_kind=kind, error_value=value).errors_exceeded(failures, size) is exceeded


def test_progress_is_monotonic_and_stale_reports_are_ignored() -> None:
    record = Record("r", "ro", "d", 0, "1.0.0", "1.1.0")
    record.notify(10.0)
    assert record.report(FwState.DOWNLOADING, 40, 1000, 11.0)
    assert record.report(FwState.DOWNLOADING, 20, 1000, 12.0)
    assert (record.progress, record.bytes) == (40, 400)
    assert record.report(FwState.VERIFIED, 100, 1000, 13.0)
    assert not record.report(FwState.DOWNLOADING, 50, 1000, 14.0)
    assert record.state is RecordState.VERIFIED
    assert record.report(FwState.UPDATED, 100, 1000, 15.0)
    assert not record.report(FwState.FAILED, 0, 1000, 16.0)
    assert (record.state, record.finished_at, record.attempts) == (RecordState.SUCCEEDED, 15.0, 1)


@pytest.mark.parametrize(
    ("latest", "installed", "newer"),
    [("1.3.0", "1.2.0", True), ("1.2.0", "1.2.0", False), ("1.10.0", "1.9.9", True),
     ("1.3.0-rc.1", "1.3.0", False), ("1.3.0", "1.3.0-rc.1", True), ("abc", "abd", True)],
)  # fmt: skip
def test_version_comparison(latest: str, installed: str, newer: bool) -> None:
    assert version_is_newer(latest, installed) is newer


def test_cli_keygen_and_sign(tmp_path: Path) -> None:
    prefix = tmp_path / "publisher"
    assert cli._keygen(argparse.Namespace(out=prefix)) == 0
    image_path = tmp_path / "fw.bin"
    image = build_image("1.0.0")
    image_path.write_bytes(image)
    args = argparse.Namespace(image=image_path, key=prefix.with_suffix(".pem"), out=None)
    assert cli._sign(args) == 0
    signature = (tmp_path / "fw.bin.sig").read_text().strip()
    key = load_public_key(prefix.with_suffix(".pub").read_text())
    assert verify_digest([key], hashlib.sha256(image).digest(), signature)
    assert len(base64.b64decode(signature)) == 64
    assert prefix.with_suffix(".pem").stat().st_mode & 0o077 == 0
