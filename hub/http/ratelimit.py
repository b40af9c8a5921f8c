"""Rate limits: login lockout per user and per address, and unauthenticated requests."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from hub.core.clock import Clock

_MAX_TRACKED = 10_000


@dataclass(slots=True)
class _Failures:
    times: deque[float] = field(default_factory=deque)
    locked_until: float = 0.0


class LoginLimiter:
    """Locks a user name or an address out after ``threshold`` failures within ``lockout``.

    An address gets ``address_factor`` times the user threshold, so one office behind a NAT
    is not locked out by a single mistyped password, while guessing many names still is.
    """

    def __init__(
        self, clock: Clock, threshold: int, lockout: float, address_factor: int = 4
    ) -> None:
        self._clock = clock
        self._threshold = threshold
        self._lockout = lockout
        self._address_threshold = threshold * address_factor
        self._users: dict[str, _Failures] = {}
        self._addresses: dict[str, _Failures] = {}

    def retry_after(self, user: str, address: str) -> float:
        """Seconds until a login for ``user`` from ``address`` may be tried (0: now)."""
        now = self._clock.time()
        waits = [
            entry.locked_until - now
            for entry in (self._users.get(user.lower()), self._addresses.get(address))
            if entry is not None
        ]
        return max([0.0, *waits])

    def failed(self, user: str, address: str) -> None:
        """Record a failed login."""
        now = self._clock.time()
        self._record(self._users, user.lower(), self._threshold, now)
        self._record(self._addresses, address, self._address_threshold, now)

    def succeeded(self, user: str, address: str) -> None:
        """Forget the user's failures after a successful login."""
        self._users.pop(user.lower(), None)

    def _record(self, table: dict[str, _Failures], key: str, threshold: int, now: float) -> None:
        if key not in table and len(table) >= _MAX_TRACKED:
            _evict(table, now)
        entry = table.setdefault(key, _Failures())
        entry.times.append(now)
        while entry.times and entry.times[0] <= now - self._lockout:
            entry.times.popleft()
        if len(entry.times) >= threshold:
            entry.locked_until = now + self._lockout
            entry.times.clear()


class RequestLimiter:
    """Allows at most ``limit`` unauthenticated requests per address per ``window`` seconds."""

    def __init__(self, clock: Clock, limit: int, window: float = 60.0) -> None:
        self._clock = clock
        self._limit = limit
        self._window = window
        self._hits: dict[str, _Failures] = {}

    def hit(self, address: str) -> float:
        """Count one request; return 0 if allowed, else seconds until the next is allowed."""
        now = self._clock.time()
        if address not in self._hits and len(self._hits) >= _MAX_TRACKED:
            _evict(self._hits, now)
        entry = self._hits.setdefault(address, _Failures())
        while entry.times and entry.times[0] <= now - self._window:
            entry.times.popleft()
        if len(entry.times) >= self._limit:
            return max(0.001, entry.times[0] + self._window - now)
        entry.times.append(now)
        return 0.0


def _evict(table: dict[str, _Failures], now: float) -> None:
    stale = [k for k, v in table.items() if v.locked_until <= now]
    for key in stale:
        del table[key]
    if len(table) >= _MAX_TRACKED:
        table.pop(next(iter(table)))
