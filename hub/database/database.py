"""The hub's handle on its SQL database: one engine, one worker thread for small writes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from hub.database.base import Base
from hub.database.engine import create_db_engine

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")


class Database:
    """Runs short database jobs (registries, users, notices) off the event loop, in order.

    The recorder writes through its own thread and connection; this executor serves the
    low-volume tables so that a registry write never waits behind a history batch.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-db")

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (after :meth:`open`)."""
        if self._engine is None:
            raise RuntimeError("the database is not open")
        return self._engine

    def open(self) -> None:
        """Create the engine (blocking: SQLite resolves paths; call from a thread)."""
        if self._engine is None:
            self._engine = create_db_engine(self.url)
            self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def _factory(self) -> sessionmaker[Session]:
        if self._sessions is None:
            raise RuntimeError("the database is not open")
        return self._sessions

    def create_schema(self) -> None:
        """Open the engine and create every declared table that does not exist yet (blocking)."""
        self.open()
        Base.metadata.create_all(self.engine)

    def session(self) -> Session:
        """A new session (use only inside :meth:`run` jobs or before the loop runs)."""
        return self._factory()()

    async def run(self, job: Callable[[Session], _T]) -> _T:
        """Run ``job(session)`` in the database thread and commit; return its result."""

        def work() -> _T:
            with self._factory().begin() as session:
                return job(session)

        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    def run_sync(self, job: Callable[[Session], _T]) -> _T:
        """Run ``job(session)`` now in the calling thread (CLI and start-up only)."""
        with self._factory().begin() as session:
            return job(session)

    def close(self) -> None:
        """Finish queued jobs and dispose of the engine."""
        self._executor.shutdown(wait=True)
        if self._engine is not None:
            self._engine.dispose()
