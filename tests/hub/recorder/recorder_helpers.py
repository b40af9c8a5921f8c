"""Shared names for the recorder tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

T0 = 1_767_225_600.0
"""2026-01-01T00:00:00Z, the epoch of every test's readings."""

StartRecorder = Callable[..., Awaitable[tuple[Any, Any]]]
"""``await start_recorder(config, site_id=…, clock=…, url=…)`` → ``(hub, recorder)``."""
