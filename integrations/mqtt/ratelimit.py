"""Logging that says a thing at most once per interval per key, counting what it held back."""

from __future__ import annotations

import logging
import time
from typing import Any


class RateLimitedLog:
    """``warning(key, msg, *args)`` logs the first occurrence per key per ``interval``."""

    def __init__(self, logger: logging.Logger, interval: float = 60.0) -> None:
        self._logger = logger
        self._interval = interval
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def warning(self, key: str, msg: str, *args: Any) -> None:
        """Log now, or count it if ``key`` was logged less than ``interval`` ago."""
        now = time.monotonic()
        last = self._last.get(key)
        if last is not None and now - last < self._interval:
            self._held[key] = self._held.get(key, 0) + 1
            return
        held = self._held.pop(key, 0)
        self._last[key] = now
        if held:
            self._logger.warning(msg + " (%d similar messages suppressed)", *args, held)
        else:
            self._logger.warning(msg, *args)
