"""The writer thread: prepares the schema, then drains the backlog in batched commits.

It owns its connections and caches. It also runs jobs handed to it (purge, statistics,
flush) between batches, so no two writers ever contend for the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from hub.recorder.backlog import Backlog, Item
from hub.recorder.batch import write_batch
from hub.recorder.migrations import (
    Progress,
    create_fresh,
    current_version,
    migrate,
    migration_lock,
)
from hub.recorder.rows import SharedRows
from hub.recorder.schema import SCHEMA_VERSION

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")
BATCH_SIZE = 50_000
RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)

Job = Callable[["Writer"], Any]


@dataclass(slots=True)
class WriterCounters:
    """What the writer has done since start."""

    states_written: int = 0
    events_written: int = 0
    reports_written: int = 0
    commits: int = 0
    commit_errors: int = 0
    last_commit_seconds: float = 0.0
    last_commit_rows: int = 0
    schema_version: int = 0
    migration: dict[str, Any] = field(default_factory=dict)


class Writer(threading.Thread):
    """Commits queued items every ``commit_interval`` seconds (at once when it is 0)."""

    def __init__(
        self,
        engine: Engine,
        site_id: str,
        backlog: Backlog,
        commit_interval: float,
        progress: Progress,
    ) -> None:
        super().__init__(name="recorder-writer", daemon=True)
        self.engine = engine
        self.site_id = site_id
        self.backlog = backlog
        self.commit_interval = commit_interval
        self.shared = SharedRows(site_id)
        self.counters = WriterCounters()
        self.ready = threading.Event()
        self._progress = progress
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._jobs: deque[tuple[Job, Future[Any]]] = deque()
        self._retry: list[Item] = []
        backlog.notify_at(BATCH_SIZE, self.wake)

    # -- handed in from the loop -----------------------------------------------------------
    def wake(self) -> None:
        """Commit now instead of at the end of the interval (also when a batch is queued)."""
        self._wake.set()

    def submit(self, job: Callable[[Writer], _T]) -> Future[_T]:
        """Run ``job(writer)`` in this thread after the pending items are committed."""
        future: Future[_T] = Future()
        self._jobs.append((job, future))
        self._wake.set()
        return future

    def stop(self) -> None:
        """Flush everything, run queued jobs, then end the thread."""
        self._stopping.set()
        self._wake.set()

    # -- the thread ------------------------------------------------------------------------
    def run(self) -> None:
        """Prepare the schema, then loop: wait, commit, run jobs."""
        while not self._prepare_schema():
            if self._stopping.wait(30):
                self.ready.set()
                _LOGGER.error("Recorder stopped before the database was ready")
                for _job, future in self._jobs:
                    future.set_exception(RuntimeError("the recorder database was not ready"))
                return
        self.ready.set()
        while True:
            stopping = self._stopping.is_set()
            self.write_pending()
            self._run_jobs()
            if stopping:
                self.write_pending()
                self._run_jobs()
                return
            self._wake.wait(self.commit_interval if self.commit_interval > 0 else 0.05)
            self._wake.clear()

    def _prepare_schema(self) -> bool:
        try:
            self._migrate()
        except Exception:
            _LOGGER.exception("Recorder could not prepare the database; retrying in 30 s")
            return False
        return True

    def _migrate(self) -> None:
        with migration_lock(self.engine):
            version = current_version(self.engine)
            if version == 0:
                create_fresh(self.engine)
                version = SCHEMA_VERSION
            elif version < SCHEMA_VERSION:
                self.counters.migration = {"from": version, "to": SCHEMA_VERSION}
                version = migrate(self.engine, version, self.site_id, self._progress)
        self.counters.schema_version = version

    def write_pending(self) -> None:
        """Commit what is queued now, in batches of up to :data:`BATCH_SIZE`.

        Items queued while those commits run wait for the next round unless a whole batch
        of them is already waiting: a commit costs less per row the more rows it carries,
        so a writer that keeps up does not chase the queue with small commits.
        """
        due = len(self._retry) + len(self.backlog)
        while True:
            items = self._retry or self.backlog.take(BATCH_SIZE)
            self._retry = []
            if not items:
                return
            if not self._commit(items):
                return
            due -= len(items)
            if due <= 0 and len(self.backlog) < BATCH_SIZE:
                return

    def _commit(self, items: list[Item]) -> bool:
        started = time.perf_counter()
        for attempt, delay in enumerate((0.0, *RETRY_DELAYS)):
            if attempt and self._stopping.is_set() and attempt > 2:
                break
            if delay and self._stopping.wait(delay) and attempt > 2:
                break
            try:
                with self.engine.begin() as conn:
                    result = write_batch(conn, self.shared, items)
            except IntegrityError:
                # A shared row vanished (purged by another hub): look everything up again.
                self.shared.clear()
                self.counters.commit_errors += 1
                continue
            except DBAPIError as err:
                self.counters.commit_errors += 1
                _LOGGER.warning("Recorder commit failed (%s); retrying", err.orig or err)
                self.shared.clear()
                continue
            counters = self.counters
            counters.states_written += result.states
            counters.events_written += result.events
            counters.reports_written += result.reports
            counters.commits += 1
            counters.last_commit_seconds = time.perf_counter() - started
            counters.last_commit_rows = result.states + result.events
            return True
        if self._stopping.is_set():
            _LOGGER.error("Recorder stopped with %d items it could not commit", len(items))
            return False
        self._retry = items
        return False

    def _run_jobs(self) -> None:
        while self._jobs:
            job, future = self._jobs.popleft()
            self.write_pending()  # items queued before the job was submitted go first
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job(self))
            except BaseException as err:
                future.set_exception(err)
