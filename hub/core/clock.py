"""Wall-clock time and timers behind one interface, so tests can drive time."""

from __future__ import annotations

import asyncio
import datetime as dt
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Protocol

Cancel = Callable[[], None]


class Clock(Protocol):
    """What time it is, and how to be called back at a moment."""

    def time(self) -> float:
        """Epoch seconds."""

    def now(self) -> dt.datetime:
        """Aware UTC datetime."""

    def call_at(self, timestamp: float, callback: Callable[[], None]) -> Cancel:
        """Call ``callback`` on the loop at epoch ``timestamp``; return a cancel callable."""

    def call_later(self, delay: float, callback: Callable[[], None]) -> Cancel:
        """Call ``callback`` on the loop after ``delay`` seconds."""


class LoopClock:
    """The real clock: wall time, timers on the running asyncio loop."""

    # time.time itself, not a method calling it: the state machine stamps every write with it.
    time = staticmethod(time.time)
    """Epoch seconds."""

    def now(self) -> dt.datetime:
        """Aware UTC datetime."""
        return dt.datetime.now(dt.UTC)

    def call_at(self, timestamp: float, callback: Callable[[], None]) -> Cancel:
        """Schedule ``callback`` at epoch ``timestamp``."""
        return self.call_later(max(0.0, timestamp - time.time()), callback)

    def call_later(self, delay: float, callback: Callable[[], None]) -> Cancel:
        """Schedule ``callback`` after ``delay`` seconds."""
        handle = asyncio.get_running_loop().call_later(delay, callback)
        return handle.cancel


class ManualClock:
    """A clock that moves only when told to; timers fire during :meth:`advance`."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._now = start
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._cancelled: set[int] = set()
        self._seq = itertools.count()

    def time(self) -> float:
        """Epoch seconds."""
        return self._now

    def now(self) -> dt.datetime:
        """Aware UTC datetime."""
        return dt.datetime.fromtimestamp(self._now, dt.UTC)

    def call_at(self, timestamp: float, callback: Callable[[], None]) -> Cancel:
        """Schedule ``callback`` at epoch ``timestamp``."""
        seq = next(self._seq)
        heapq.heappush(self._timers, (timestamp, seq, callback))
        return lambda: self._cancelled.add(seq)

    def call_later(self, delay: float, callback: Callable[[], None]) -> Cancel:
        """Schedule ``callback`` after ``delay`` seconds."""
        return self.call_at(self._now + delay, callback)

    def advance(self, seconds: float) -> None:
        """Move time forward, firing due timers in order."""
        target = self._now + seconds
        while self._timers and self._timers[0][0] <= target:
            when, seq, callback = heapq.heappop(self._timers)
            self._now = max(self._now, when)
            if seq in self._cancelled:
                self._cancelled.discard(seq)
                continue
            callback()
        self._now = target

    def set(self, timestamp: float) -> None:
        """Jump to ``timestamp`` (forward only), firing due timers."""
        self.advance(max(0.0, timestamp - self._now))
