"""An ordered job queue drained by one tracked task."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from hub.api import Hub

_LOGGER = logging.getLogger(__name__)

Job = Callable[[], Awaitable[Any]]


class OrderedWorker:
    """Runs queued jobs one at a time, in order; errors are logged and the queue goes on."""

    def __init__(self, hub: Hub, name: str) -> None:
        self._hub = hub
        self._name = name
        self._queue: asyncio.Queue[Job] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    def submit(self, job: Job) -> None:
        """Queue ``job`` (a coroutine function without arguments)."""
        self._idle.clear()
        self._queue.put_nowait(job)
        if self._task is None:
            self._task = self._hub.create_task(self._run(), name=self._name)

    async def idle(self) -> None:
        """Return once every queued job has run."""
        await self._idle.wait()

    def stop(self) -> None:
        """Cancel the drain task (queued jobs are dropped)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await job()
            except Exception:
                _LOGGER.exception("Error in %s", self._name)
            if self._queue.empty():
                self._idle.set()
