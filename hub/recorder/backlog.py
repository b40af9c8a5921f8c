"""The queue between the event loop and the writer thread, with a visible overflow policy.

The loop only appends; it never blocks and never waits for the database. Up to
``max_items`` entries are queued in order. Beyond that the backlog *overflows*: each entity
keeps only its newest pending state (older pending values of that entity are coalesced
away and counted), late readings are all kept, and events are kept up to a tenth of
``max_items`` and counted as dropped after that. Once the writer has emptied the queue it
takes the overflow in one piece and normal queueing resumes: recording never stops.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

KIND_STATE: Final = 0
KIND_REPORTED: Final = 1
KIND_LATE: Final = 2
KIND_EVENT: Final = 3

Item = tuple[int, str, Any]
"""``(kind, key, payload)``: key is the entity id (or event type), payload a State/Event."""


@dataclass(slots=True)
class BacklogCounters:
    """What the overflow policy did since start."""

    overflow_episodes: int = 0
    states_coalesced: int = 0
    events_dropped: int = 0
    peak_queue: int = 0


class Backlog:
    """Thread-safe hand-over of items from the loop (``put``) to the writer (``take``)."""

    def __init__(self, max_items: int) -> None:
        self.max_items = max_items
        self._queue: deque[Item] = deque()
        self._lock = threading.Lock()
        self._overflowing = False
        self._coalesced: dict[str, Item] = {}
        self._kept: list[Item] = []
        self._events_kept = 0
        self._notify: Callable[[], None] | None = None
        self._notify_at = max_items
        self._notified = False
        self._fast_limit = max_items
        """Below this length a put only appends (the notice and overflow checks wait above)."""
        self.counters = BacklogCounters()

    def notify_at(self, count: int, callback: Callable[[], None]) -> None:
        """Call ``callback`` (in the putting thread) when a put finds ``count`` items waiting
        (at most half of ``max_items``); once, and once more after each :meth:`take`."""
        self._notify = callback
        self._notify_at = self._fast_limit = min(count, max(1, self.max_items // 2))

    def __len__(self) -> int:
        return len(self._queue) + len(self._coalesced) + len(self._kept)

    @property
    def overflowing(self) -> bool:
        """True while the overflow policy is active."""
        return self._overflowing

    def put(self, item: Item) -> bool:
        """Queue ``item`` (loop side); return True when this put started an overflow."""
        queue = self._queue
        if len(queue) < self._fast_limit:
            queue.append(item)
            return False
        if not self._overflowing and len(queue) < self.max_items:
            queue.append(item)
            if self._notify is not None and not self._notified:
                self._notified = True
                self._notify()
            return False
        with self._lock:
            started = not self._overflowing
            if started:
                self._overflowing = True
                self._fast_limit = 0
                self.counters.overflow_episodes += 1
                self.counters.peak_queue = max(self.counters.peak_queue, len(queue))
            self._overflow(item)
            return started

    def _overflow(self, item: Item) -> None:
        kind, key, _payload = item
        if kind in (KIND_STATE, KIND_REPORTED):
            previous = self._coalesced.get(key)
            if previous is None:
                self._coalesced[key] = item
            elif kind == KIND_REPORTED:
                # Same value, newer report: keep the earlier item's kind, newest State.
                self._coalesced[key] = (previous[0], key, item[2])
            else:
                if previous[0] == KIND_STATE:
                    self.counters.states_coalesced += 1
                self._coalesced[key] = item
        elif kind == KIND_EVENT and self._events_kept >= self.max_items // 10:
            self.counters.events_dropped += 1
        else:
            self._events_kept += kind == KIND_EVENT
            self._kept.append(item)

    def take(self, limit: int) -> list[Item]:
        """Up to ``limit`` items in order (writer side); the overflow once the queue is empty."""
        queue = self._queue
        count = min(limit, len(queue))
        self._notified = False
        if count:
            self.counters.peak_queue = max(self.counters.peak_queue, len(queue))
            return [queue.popleft() for _ in range(count)]
        if not self._overflowing:
            return []
        with self._lock:
            items = [*self._kept, *self._coalesced.values()]
            self._kept = []
            self._coalesced = {}
            self._events_kept = 0
            self._overflowing = False
            self._fast_limit = self._notify_at
        return items
