"""Tracking of background tasks so that none is lost or left running at shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")


class TaskTracker:
    """Keeps a strong reference to every task it starts and cancels them in order at stop."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    def __len__(self) -> int:
        return len(self._tasks)

    @property
    def tasks(self) -> frozenset[asyncio.Task[Any]]:
        """The tasks still running."""
        return frozenset(self._tasks)

    def create(self, coro: Coroutine[Any, Any, _T], name: str) -> asyncio.Task[_T]:
        """Start ``coro`` as a tracked task; errors are logged, never lost."""
        if self._closed:
            coro.close()
            raise RuntimeError(f"cannot start task {name!r}: the hub is shutting down")
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            _LOGGER.error("Task %s failed", task.get_name(), exc_info=exc)

    async def wait(self, timeout: float) -> set[asyncio.Task[Any]]:
        """Wait up to ``timeout`` seconds for running tasks; return those still pending."""
        if not self._tasks:
            return set()
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        return set(pending)

    async def cancel_all(self, timeout: float = 10.0) -> None:
        """Refuse new tasks, cancel the running ones and await them."""
        self._closed = True
        tasks = [t for t in self._tasks if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=timeout)
            for task in pending:
                _LOGGER.warning("Task %s did not stop within %.0f s", task.get_name(), timeout)

    def reopen(self) -> None:
        """Accept new tasks again (used when a stopped hub object is started again in tests)."""
        self._closed = False


async def cancel_and_wait(task: asyncio.Future[Any]) -> None:
    """Cancel ``task`` and wait until it has finished.

    Unlike ``task.cancel(); with suppress(CancelledError): await task``, a cancellation of
    the *caller* while it waits is not swallowed. An error the task ended with is logged.
    """
    task.cancel()
    await asyncio.wait({task})
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("Task %r failed while stopping", task, exc_info=task.exception())
