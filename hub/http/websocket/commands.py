"""The table of WebSocket commands: core packages and the HTTP component add theirs here.

``ws_commands(hub).register("history/period", handler, {vol.Required("entity_id"): str},
role=Role.VIEWER)``: the handler is ``async def handler(connection, msg)`` and answers with
``connection.send_result(msg["id"], result)`` (or raises :class:`WsError`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol

from hub.core.errors import HubError
from hub.core.keys import HubKey
from hub.http.roles import Role

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.websocket.connection import Connection

CommandHandler = Callable[["Connection", dict[str, Any]], Coroutine[Any, Any, None]]


class WsError(HubError):
    """Raise in a command handler to answer ``success: false`` with ``code`` and the message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class WsCommand:
    """A registered command: its handler, message schema and least role."""

    type: str
    handler: CommandHandler
    schema: vol.Schema
    role: Role


class CommandRegistry:
    """WebSocket commands by type."""

    def __init__(self) -> None:
        self._commands: dict[str, WsCommand] = {}

    def register(
        self,
        command_type: str,
        handler: CommandHandler,
        fields: Mapping[Any, Any] | None = None,
        *,
        role: Role = Role.VIEWER,
    ) -> None:
        """Add (or replace) ``command_type``; ``fields`` is a voluptuous dict of its keys."""
        schema = vol.Schema(
            {vol.Required("id"): int, vol.Required("type"): str, **dict(fields or {})}
        )
        self._commands[command_type] = WsCommand(command_type, handler, schema, Role(role))

    def get(self, command_type: str) -> WsCommand | None:
        """The command or None."""
        return self._commands.get(command_type)

    def types(self) -> list[str]:
        """Registered command types."""
        return sorted(self._commands)


WS_COMMANDS: Final = HubKey[CommandRegistry]("http.websocket_commands")


def ws_commands(hub: Hub) -> CommandRegistry:
    """The hub's WebSocket command table (created on first use, before or after start)."""
    registry = hub.data.get(WS_COMMANDS)
    if registry is None:
        registry = CommandRegistry()
        hub.data[WS_COMMANDS] = registry
    return registry
