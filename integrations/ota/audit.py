"""The audit log: who uploaded, started, paused, approved, aborted or deleted what."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from hub.api import Hub

from .store import OtaStore


class AuditLog:
    """Appends entries without making callers wait; :meth:`flush` waits for the writes."""

    def __init__(self, hub: Hub, store: OtaStore) -> None:
        self._hub = hub
        self._store = store
        self._pending: set[asyncio.Task[None]] = set()

    def __call__(self, user: str, action: str, target: str, detail: Mapping[str, object]) -> None:
        """Append an entry (written in order on the database thread)."""
        task = self._hub.create_task(
            self._store.audit(self._hub.clock.time(), user, action, target, dict(detail)),
            name=f"ota-audit:{action}",
        )
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def flush(self) -> None:
        """Wait until every entry is written."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
