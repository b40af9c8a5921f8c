"""Typed MQTT messages as handed to entities, triggers and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

_UNSET: Any = object()


class ReceivedMessage:
    """One message from the broker. ``text`` and ``json`` decode lazily, once."""

    __slots__ = ("_json", "_text", "payload", "qos", "retain", "timestamp", "topic")

    def __init__(
        self, topic: str, payload: bytes, qos: int, retain: bool, timestamp: float
    ) -> None:
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.timestamp = timestamp
        self._text: str | None = None
        self._json: Any = _UNSET

    @property
    def text(self) -> str:
        """The payload as UTF-8 text (undecodable bytes replaced)."""
        if self._text is None:
            self._text = self.payload.decode("utf-8", "replace")
        return self._text

    @property
    def json(self) -> Any:
        """The payload parsed as JSON; raises ``ValueError`` if it is not JSON."""
        parsed = self.json_or_error()
        if isinstance(parsed, ValueError):
            raise parsed
        return parsed

    def json_or_error(self) -> Any:
        """The parsed payload, or the ``ValueError`` that parsing it raised (not raised)."""
        parsed = self._json
        if parsed is _UNSET:
            try:
                parsed = self._json = orjson.loads(self.payload)
            except orjson.JSONDecodeError as err:
                parsed = self._json = err
        return parsed

    def as_dict(self) -> dict[str, Any]:
        """Serialise for service responses and trigger variables."""
        return {
            "topic": self.topic,
            "payload": self.text,
            "qos": self.qos,
            "retain": self.retain,
            "timestamp": self.timestamp,
        }

    def __repr__(self) -> str:
        return f"<ReceivedMessage {self.topic} {self.payload[:40]!r}>"


MessageHandler = Callable[[ReceivedMessage], None]
"""Called on the event loop, inside an intake batch; must not block."""
