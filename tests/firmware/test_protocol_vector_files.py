"""Keeps the shared vectors in firmware/protocol honest against independent references."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

VECTORS = Path(__file__).resolve().parents[2] / "firmware" / "protocol"


def _load(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name",
    [
        "geometry.json",
        "filters.json",
        "messages.json",
        "ring_buffer.json",
        "backoff.json",
        "sha256.json",
    ],
)
def test_vector_file_has_format_and_description(name: str) -> None:
    doc = _load(name)
    assert doc["format"] == 1
    assert doc["description"]


def test_sha256_vectors_agree_with_hashlib() -> None:
    cases = _load("sha256.json")["cases"]
    assert cases
    for case in cases:
        data = case["ascii"].encode() * case["repeat"]
        assert hashlib.sha256(data).hexdigest() == case["sha256"], case["name"]


def test_backoff_vectors_follow_the_documented_formula() -> None:
    doc = _load("backoff.json")
    for case in doc["cases"]:
        attempt = 0
        for step in case["steps"]:
            if step["op"] == "reset":
                attempt = 0
                continue
            grown = case["base_ms"] << min(attempt, doc["max_shift"])
            exp = min(case["cap_ms"], grown)
            half = exp // 2
            assert step["delay_ms"] == exp - half + step["random"] % (half + 1)
            assert half <= step["delay_ms"] <= exp
            attempt += 1


def test_every_frame_fits_the_documented_size() -> None:
    doc = _load("messages.json")
    for vector in doc["valid"]:
        assert len(vector["canonical"].encode()) <= doc["max_frame_bytes"], vector["name"]
