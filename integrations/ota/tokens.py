"""Per-rollout download tokens: ``<rollout id>.<HMAC of the id>`` under a key kept on disk."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
from pathlib import Path


def _read_or_create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key.hex())
        return key


class TokenSigner:
    """Makes and checks download tokens; nothing token-related is stored per rollout."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    async def from_file(cls, path: Path) -> TokenSigner:
        """Load the key from ``path``, creating it (mode 0600) the first time."""
        key = await asyncio.get_running_loop().run_in_executor(None, _read_or_create, path)
        return cls(key)

    def _mac(self, rollout_id: str) -> str:
        return hmac.new(self._key, rollout_id.encode(), hashlib.sha256).hexdigest()[:40]

    def token(self, rollout_id: str) -> str:
        """The download token of a rollout."""
        return f"{rollout_id}.{self._mac(rollout_id)}"

    def rollout_of(self, token: str) -> str | None:
        """The rollout id a genuine token names, else None."""
        rollout_id, _, mac = token.partition(".")
        if not rollout_id or not hmac.compare_digest(mac, self._mac(rollout_id)):
            return None
        return rollout_id
