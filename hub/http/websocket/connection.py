"""One authenticated WebSocket client: a bounded send queue drained by its own writer task.

Nothing the hub does waits on a client. Messages go into the client's queue; when the queue
is full the client cannot keep up: it is told (``too_slow``), its subscriptions end and it
is disconnected, while every other client carries on.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, Final

import voluptuous as vol
from aiohttp import WSCloseCode, WSMsgType, web

from hub.core.errors import HubError, ServiceNotFound, ServiceValidationError, Unauthorized
from hub.core.services import humanize_invalid
from hub.http.errors import ApiError
from hub.http.users import User
from hub.http.websocket.commands import WsError
from hub.http.websocket.messages import error_message, raw_result_message, result_message

_LOGGER = logging.getLogger(__name__)

CLOSE_GRACE: Final = 2.0
TOO_SLOW: Final = (
    b'{"type":"disconnect","error":{"code":"too_slow",'
    b'"message":"the client did not keep up with its messages and is disconnected"}}'
)


class Connection:
    """A client's queue, writer task, subscriptions and running commands."""

    def __init__(
        self, ws: web.WebSocketResponse, user: User, app: web.Application, max_pending: int
    ) -> None:
        self.ws = ws
        self.user = user
        self.app = app
        self.max_pending = max_pending
        self.subscriptions: dict[int, Callable[[], None]] = {}
        self.last_id = 0
        self._queue: deque[bytes] = deque()
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._closing = False
        self.too_slow = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._writer: asyncio.Task[None] | None = None

    @property
    def pending(self) -> int:
        """Messages waiting to be written."""
        return len(self._queue)

    @property
    def closing(self) -> bool:
        """True once the connection is shutting down."""
        return self._closing

    def start(self) -> None:
        """Start the writer task."""
        self._writer = asyncio.get_running_loop().create_task(self._write_loop())

    # -- sending ----------------------------------------------------------------------------
    def send(self, message: bytes) -> None:
        """Queue a message; disconnect the client if its queue is full."""
        if self._closing:
            return
        if len(self._queue) >= self.max_pending:
            self._overflow()
            return
        self._queue.append(message)
        self._idle.clear()
        self._wakeup.set()

    def send_result(self, msg_id: int, result: Any = None) -> None:
        """Answer command ``msg_id`` successfully."""
        self.send(result_message(msg_id, result))

    def send_raw_result(self, msg_id: int, result_json: bytes) -> None:
        """Answer with an already serialised result."""
        self.send(raw_result_message(msg_id, result_json))

    def send_error(self, msg_id: int | None, code: str, message: str) -> None:
        """Answer command ``msg_id`` with an error."""
        self.send(error_message(msg_id, code, message))

    async def _write_loop(self) -> None:
        queue = self._queue
        try:
            while True:
                await self._wakeup.wait()
                self._wakeup.clear()
                while queue:
                    await self.ws.send_frame(queue.popleft(), WSMsgType.TEXT)
                self._idle.set()
        except (ConnectionError, RuntimeError):
            self._idle.set()
            self._shutdown_subscriptions()

    def _overflow(self) -> None:
        _LOGGER.warning(
            "WebSocket client of %s fell %d messages behind; disconnecting it",
            self.user.name,
            len(self._queue),
        )
        self._queue.clear()
        self._queue.append(TOO_SLOW)
        self._wakeup.set()
        self._closing = True
        self.too_slow = True
        self._shutdown_subscriptions()
        self.run(self._close_slow(), None)

    async def _close_slow(self) -> None:
        try:
            await asyncio.wait_for(self._idle.wait(), CLOSE_GRACE)
        except TimeoutError:
            _LOGGER.debug("Slow client did not take its last message")
        await self.close(WSCloseCode.TRY_AGAIN_LATER, b"too slow")

    # -- commands -----------------------------------------------------------------------------
    def run(self, coro: Coroutine[Any, Any, None], msg_id: int | None) -> None:
        """Run a command handler as a task owned by this connection."""
        task = asyncio.get_running_loop().create_task(self._guard(coro, msg_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        # A task cancelled before it starts (the client hung up) never awaits ``coro``.
        task.add_done_callback(lambda _task: coro.close())

    async def _guard(self, coro: Coroutine[Any, Any, None], msg_id: int | None) -> None:
        try:
            await coro
        except WsError as err:
            self.send_error(msg_id, err.code, err.message)
        except ApiError as err:
            self.send_error(msg_id, err.code, err.message)
        except ServiceNotFound as err:
            self.send_error(msg_id, "service_not_found", str(err))
        except (ServiceValidationError, ValueError) as err:
            self.send_error(msg_id, "invalid_format", str(err))
        except vol.Invalid as err:
            self.send_error(msg_id, "invalid_format", humanize_invalid(err))
        except Unauthorized as err:
            self.send_error(msg_id, "unauthorized", str(err))
        except HubError as err:
            self.send_error(msg_id, "hub_error", str(err))
        except Exception:
            _LOGGER.exception("Error in WebSocket command %s", msg_id)
            self.send_error(msg_id, "unknown_error", "internal error")

    # -- closing ------------------------------------------------------------------------------
    def _shutdown_subscriptions(self) -> None:
        subscriptions, self.subscriptions = self.subscriptions, {}
        for unsubscribe in subscriptions.values():
            unsubscribe()

    async def close(
        self, code: int = WSCloseCode.GOING_AWAY, message: bytes = b"server shutdown"
    ) -> None:
        """End subscriptions and tasks, then close the socket."""
        self._closing = True
        self._shutdown_subscriptions()
        current = asyncio.current_task()
        for task in [t for t in self._tasks if t is not current]:
            task.cancel()
        if self._writer is not None and self._writer is not current:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        if not self.ws.closed:
            try:
                await asyncio.wait_for(self.ws.close(code=code, message=message), CLOSE_GRACE)
            except (TimeoutError, ConnectionError):
                _LOGGER.debug("WebSocket of %s did not close cleanly", self.user.name)
