"""A controllable clock for the alert core tests (float epoch seconds)."""

from __future__ import annotations

from dataclasses import dataclass

T0 = 1_700_000_000.0


@dataclass
class Clock:
    """A clock that only moves when told to."""

    now: float = T0

    def advance(self, seconds: float) -> float:
        """Move forward by ``seconds`` and return the new time."""
        self.now += seconds
        return self.now
