"""Compact encodings the recorder stores: ULIDs as 16 bytes, JSON payloads with a hash."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any

from hub.core.jsonutil import dumps_bytes

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {char: index for index, char in enumerate(_CROCKFORD)}


def ulid_to_bytes(value: str | None) -> bytes | None:
    """The 16 bytes of a ULID string (None for None or text that is not a ULID)."""
    if value is None or len(value) != 26:
        return None
    number = 0
    try:
        for char in value:
            number = (number << 5) | _DECODE[char]
    except KeyError:
        return None
    return number.to_bytes(17, "big")[1:]


def bytes_to_ulid(value: bytes | None) -> str | None:
    """The ULID string of 16 stored bytes."""
    if value is None:
        return None
    number = int.from_bytes(value, "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[number & 31])
        number >>= 5
    return "".join(reversed(chars))


def encode_json(data: Mapping[str, Any]) -> str:
    """Canonical JSON text of a payload (keys in insertion order, as the hub keeps them)."""
    return dumps_bytes(data).decode()


def payload_hash(shared: str) -> int:
    """A 32-bit hash of stored JSON text; rows are de-duplicated by hash, then by text."""
    return zlib.crc32(shared.encode())
