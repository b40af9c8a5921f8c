"""Password hashing with bcrypt. Both calls block: run them in an executor."""

from __future__ import annotations

import base64
import hashlib

import bcrypt

DEFAULT_ROUNDS = 12


def _prehash(password: str) -> bytes:
    # bcrypt reads at most 72 bytes; a SHA-256 digest keeps every character significant.
    return base64.b64encode(hashlib.sha256(password.encode()).digest())


class PasswordHasher:
    """Hashes and checks passwords with bcrypt at a given cost (``rounds``)."""

    def __init__(self, rounds: int = DEFAULT_ROUNDS) -> None:
        self.rounds = rounds
        self._dummy: bytes | None = None

    def hash(self, password: str) -> str:
        """A bcrypt hash of ``password`` (blocking)."""
        return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(self.rounds)).decode()

    def verify(self, password: str, hashed: str | None) -> bool:
        """True if ``password`` matches ``hashed`` (blocking; same cost when ``hashed`` is None)."""
        if hashed is None:
            if self._dummy is None:
                self._dummy = bcrypt.hashpw(b"-", bcrypt.gensalt(self.rounds))
            bcrypt.checkpw(_prehash(password), self._dummy)
            return False
        try:
            return bcrypt.checkpw(_prehash(password), hashed.encode())
        except ValueError:
            return False
