"""The ``/api/websocket`` endpoint: auth handshake, then command dispatch per connection."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Final

import orjson
import voluptuous as vol
from aiohttp import WSMsgType, web

from hub import __version__
from hub.core.hub import Hub
from hub.core.jsonutil import dumps_bytes
from hub.core.services import humanize_invalid
from hub.http.keys import AUTH, CLIENT_ADDRESS, REQUEST_LIMITER
from hub.http.roles import role_allows
from hub.http.users import User
from hub.http.websocket.commands import CommandRegistry
from hub.http.websocket.connection import Connection
from hub.http.websocket.entities import EntityStream
from hub.http.websocket.messages import EventEncoder

_LOGGER = logging.getLogger(__name__)

AUTH_TIMEOUT: Final = 10.0
HEARTBEAT: Final = 55.0


class WebSocketHub:
    """Every WebSocket client of one server, and what they share (entity stream, encoder)."""

    def __init__(
        self, hub: Hub, commands: CommandRegistry, *, max_pending: int, max_msg_size: int
    ) -> None:
        self._hub = hub
        self._commands = commands
        self._max_pending = max_pending
        self._max_msg_size = max_msg_size
        self.connections: set[Connection] = set()
        self.entities = EntityStream(hub.bus)
        self.encoder = EventEncoder()
        self.disconnected_slow = 0

    @property
    def queued_messages(self) -> int:
        """Messages waiting in all clients' send queues."""
        return sum(c.pending for c in self.connections)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serve one client from handshake to close."""
        ws = web.WebSocketResponse(
            heartbeat=HEARTBEAT, timeout=2.0, max_msg_size=self._max_msg_size
        )
        await ws.prepare(request)
        await ws.send_str(
            orjson.dumps({"type": "auth_required", "hub_version": __version__}).decode()
        )
        user = await self._authenticate(ws, request)
        if user is None:
            await ws.close()
            return ws
        conn = Connection(ws, user, request.app, self._max_pending)
        conn.start()
        self.connections.add(conn)
        conn.send(dumps_bytes({"type": "auth_ok", "hub_version": __version__}))
        try:
            async for message in ws:
                if conn.closing:
                    break
                if message.type == WSMsgType.TEXT:
                    self.dispatch(conn, message.data)
                else:
                    conn.send_error(None, "invalid_format", "send JSON text messages")
        finally:
            self.connections.discard(conn)
            if conn.too_slow:
                self.disconnected_slow += 1
            await conn.close()
        return ws

    async def _authenticate(self, ws: web.WebSocketResponse, request: web.Request) -> User | None:
        try:
            message = await ws.receive(timeout=AUTH_TIMEOUT)
        except TimeoutError:
            await _send_invalid(ws, "authentication timed out")
            return None
        token = None
        if message.type == WSMsgType.TEXT:
            try:
                data: Any = orjson.loads(message.data)
            except orjson.JSONDecodeError:
                data = None
            if isinstance(data, dict) and data.get("type") == "auth":
                token = data.get("access_token")
        if not isinstance(token, str):
            await _send_invalid(ws, 'expected {"type": "auth", "access_token": "..."}')
            return None
        user = await request.app[AUTH].authenticate(token)
        if user is None:
            limited = request.app[REQUEST_LIMITER].hit(request[CLIENT_ADDRESS]) > 0
            await _send_invalid(
                ws, "too many failed attempts" if limited else "invalid or expired token"
            )
        return user

    def dispatch(self, conn: Connection, raw: str) -> None:
        """Validate one message and start its command."""
        try:
            msg: Any = orjson.loads(raw)
        except orjson.JSONDecodeError:
            conn.send_error(None, "invalid_format", "the message is not valid JSON")
            return
        if not isinstance(msg, dict):
            conn.send_error(None, "invalid_format", "a message is a JSON object")
            return
        msg_id = msg.get("id")
        if not isinstance(msg_id, int) or isinstance(msg_id, bool) or msg_id < 1:
            conn.send_error(None, "invalid_format", "id must be a positive integer")
            return
        command_type = msg.get("type")
        if msg_id <= conn.last_id:
            conn.send_error(msg_id, "id_reuse", "ids must increase with every message")
            return
        conn.last_id = msg_id
        command = self._commands.get(command_type) if isinstance(command_type, str) else None
        if command is None:
            conn.send_error(msg_id, "unknown_command", f"unknown command {command_type!r}")
            return
        if not role_allows(conn.user.role, command.role):
            conn.send_error(
                msg_id, "unauthorized", f"{command_type} needs the {command.role.value} role"
            )
            return
        try:
            validated = command.schema(msg)
        except vol.Invalid as err:
            conn.send_error(msg_id, "invalid_format", humanize_invalid(err))
            return
        conn.run(command.handler(conn, validated), msg_id)

    async def close_all(self) -> None:
        """Close every client (server shutdown)."""
        await asyncio.gather(*(c.close() for c in list(self.connections)))


async def _send_invalid(ws: web.WebSocketResponse, message: str) -> None:
    await ws.send_str(orjson.dumps({"type": "auth_invalid", "message": message}).decode())


WEBSOCKETS: Final = web.AppKey("websockets", WebSocketHub)
