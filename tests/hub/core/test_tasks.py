"""Task helpers: tracking, cancellation that never swallows the caller's cancel."""

from __future__ import annotations

import asyncio

import pytest

from hub.core.tasks import TaskTracker, cancel_and_wait


async def test_cancel_and_wait_stops_the_task() -> None:
    started = asyncio.Event()

    async def forever() -> None:
        started.set()
        await asyncio.Event().wait()

    task = asyncio.ensure_future(forever())
    await started.wait()
    await cancel_and_wait(task)
    assert task.cancelled()


async def test_cancelling_the_caller_while_it_waits_is_not_swallowed() -> None:
    release = asyncio.Event()

    async def slow_to_stop() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            await release.wait()  # cleanup that takes a while

    child = asyncio.ensure_future(slow_to_stop())
    await asyncio.sleep(0)

    async def stopper() -> None:
        await cancel_and_wait(child)

    outer = asyncio.ensure_future(stopper())
    await asyncio.sleep(0)
    outer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await outer
    release.set()
    await asyncio.wait({child})


async def test_tracker_refuses_new_tasks_after_cancel_all() -> None:
    tracker = TaskTracker()

    async def idle() -> None:
        await asyncio.Event().wait()

    task = tracker.create(idle(), name="idle")
    await tracker.cancel_all()
    assert task.cancelled()
    coro = idle()
    with pytest.raises(RuntimeError, match="shutting down"):
        tracker.create(coro, name="late")
