"""One queue per target: deliveries ordered by when they are due, sent one at a time."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from hub.api import Clock

_T = TypeVar("_T")


async def clock_sleep(clock: Clock, delay: float) -> None:
    """Sleep ``delay`` seconds of ``clock`` time (a manual clock in tests)."""
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def wake() -> None:
        if not future.done():
            future.set_result(None)

    cancel = clock.call_later(delay, wake)
    try:
        await future
    finally:
        cancel()


class DueQueue(Generic[_T]):
    """Items with a due time, handed to ``process`` in due order by one worker task.

    :meth:`idle` is set whenever nothing is due now (the queue is empty or waiting for a
    timer), so tests can step a manual clock and wait for the consequences.
    """

    def __init__(self, clock: Clock, process: Callable[[_T], Awaitable[None]]) -> None:
        self._clock = clock
        self._process = process
        self._heap: list[tuple[float, int, _T]] = []
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()

    def __len__(self) -> int:
        return len(self._heap)

    def put(self, item: _T, due: float) -> None:
        """Add ``item`` to be processed at epoch ``due`` (now or earlier: at once)."""
        heapq.heappush(self._heap, (due, next(self._seq), item))
        self._poke()

    def _poke(self) -> None:
        self._idle.clear()
        self._wake.set()

    @property
    def is_idle(self) -> bool:
        """True when nothing is due now."""
        return self._idle.is_set()

    async def wait_idle(self) -> None:
        """Return once nothing is due now."""
        await self._idle.wait()

    async def run(self) -> None:
        """The worker loop; runs until cancelled."""
        while True:
            if not self._heap:
                await self._sleep_until(None)
                continue
            due = self._heap[0][0]
            if due > self._clock.time():
                await self._sleep_until(due)
                continue
            _, _, item = heapq.heappop(self._heap)
            await self._process(item)

    async def _sleep_until(self, due: float | None) -> None:
        self._wake.clear()
        self._idle.set()
        cancel = self._clock.call_at(due, self._poke) if due is not None else None
        try:
            await self._wake.wait()
        finally:
            if cancel is not None:
                cancel()
