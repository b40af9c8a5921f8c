"""Waiting on the hub's clock: every delay, ``for:`` and timeout goes through here.

Nothing in the engine sleeps on asyncio's own timers, so a test's ``ManualClock`` drives
every wait.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

from hub.core.clock import Clock

_T = TypeVar("_T")


async def clock_sleep(clock: Clock, seconds: float) -> None:
    """Wait ``seconds`` on ``clock``."""
    if seconds <= 0:
        return
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def wake() -> None:
        if not future.done():
            future.set_result(None)

    cancel = clock.call_later(seconds, wake)
    try:
        await future
    finally:
        cancel()


async def wait_with_timeout(
    clock: Clock, future: asyncio.Future[_T], seconds: float | None
) -> tuple[bool, _T | None]:
    """Wait for ``future`` at most ``seconds`` of ``clock`` (None: forever).

    Returns ``(completed, result)``; on timeout the future is cancelled.
    """
    if future.done():
        return True, future.result()
    if seconds is None:
        try:
            return True, await future
        except asyncio.CancelledError:
            future.cancel()
            raise
    if seconds <= 0:
        future.cancel()
        return False, None
    expired = asyncio.get_running_loop().create_future()

    def expire() -> None:
        if not expired.done():
            expired.set_result(None)

    cancel = clock.call_later(seconds, expire)
    try:
        await asyncio.wait({future, expired}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        future.cancel()
        raise
    finally:
        cancel()
        if not expired.done():
            expired.cancel()
    if future.done() and not future.cancelled():
        return True, future.result()
    future.cancel()
    return False, None
