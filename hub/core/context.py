"""Context: who or what caused a change, carried through events and states."""

from __future__ import annotations

import os
import time
from typing import Any

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(timestamp: float | None = None) -> str:
    """Return a new ULID string (time-ordered, 26 characters)."""
    ms = int((time.time() if timestamp is None else timestamp) * 1000)
    value = (ms << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


class Context:
    """The cause of a change: a user, an automation run, a device, or the hub itself.

    The id is created lazily, so contexts that nobody inspects cost almost nothing.
    """

    __slots__ = ("id_if_created", "origin", "parent_id", "user_id")

    def __init__(
        self,
        user_id: str | None = None,
        parent_id: str | None = None,
        origin: str | None = None,
        id: str | None = None,
    ) -> None:
        self.id_if_created = id
        """The id if something has already asked for it, else None (reading it creates none)."""
        self.user_id = user_id
        self.parent_id = parent_id
        self.origin = origin

    @property
    def id(self) -> str:
        """The context id (a ULID)."""
        if self.id_if_created is None:
            self.id_if_created = ulid()
        return self.id_if_created

    def child(self, origin: str | None = None) -> Context:
        """Return a new context caused by this one."""
        return Context(user_id=self.user_id, parent_id=self.id, origin=origin or self.origin)

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API and the recorder."""
        return {
            "id": self.id,
            "parent_id": self.parent_id,
            "user_id": self.user_id,
            "origin": self.origin,
        }

    def __repr__(self) -> str:
        return f"<Context {self.id} user={self.user_id} origin={self.origin}>"
