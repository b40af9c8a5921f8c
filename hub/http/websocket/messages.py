"""Building WebSocket API messages as JSON bytes (event bodies are serialised once)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.core.bus import Event
from hub.core.jsonutil import dumps_bytes
from hub.core.state import State


def result_message(msg_id: int, result: Any = None) -> bytes:
    """A successful command result."""
    return dumps_bytes({"id": msg_id, "type": "result", "success": True, "result": result})


def raw_result_message(msg_id: int, result_json: bytes) -> bytes:
    """A successful result whose payload is already JSON."""
    return b'{"id":%d,"type":"result","success":true,"result":%b}' % (msg_id, result_json)


def error_message(msg_id: int | None, code: str, message: str) -> bytes:
    """A failed command result."""
    return dumps_bytes(
        {
            "id": msg_id,
            "type": "result",
            "success": False,
            "error": {"code": code, "message": message},
        }
    )


def event_message(msg_id: int, event_json: bytes) -> bytes:
    """An event for subscription ``msg_id``; ``event_json`` is shared by every subscriber."""
    return b'{"id":%d,"type":"event","event":%b}' % (msg_id, event_json)


def _plain(value: Any) -> Any:
    if isinstance(value, State):
        return value.as_dict()
    return value


def event_dict(event: Event) -> dict[str, Any]:
    """An event as the API shows it (states inside the data as objects, not arrays)."""
    data: Mapping[str, Any] = event.data
    return {
        "event_type": event.event_type,
        "data": {key: _plain(value) for key, value in data.items()},
        "time_fired": event.time_fired_timestamp,
        "context": event.context.as_dict(),
    }


class EventEncoder:
    """Serialises each event once, however many subscribers receive it."""

    __slots__ = ("_last", "_last_json")

    def __init__(self) -> None:
        self._last: Event | None = None
        self._last_json = b""

    def encode(self, event: Event) -> bytes:
        """The JSON of ``event``."""
        if event is not self._last:
            self._last_json = dumps_bytes(event_dict(event))
            self._last = event
        return self._last_json
