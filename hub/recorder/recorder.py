"""The recorder as a long-lived part of the hub: listens on the bus, feeds the writer thread,
schedules statistics and purges, and answers history queries off the loop."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable, Mapping
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection

from hub.core.bus import Event
from hub.core.clock import Cancel
from hub.core.context import Context
from hub.core.errors import InvalidEntityId
from hub.core.events import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED, MATCH_ALL
from hub.core.keys import HubKey
from hub.core.state import MAX_STATE_LENGTH, State, valid_entity_id
from hub.recorder.backlog import KIND_EVENT, KIND_LATE, KIND_REPORTED, KIND_STATE, Backlog
from hub.recorder.config import RecorderConfig
from hub.recorder.purge import PurgeResult, purge, repack
from hub.recorder.statistics import SHORT_TERM, StatisticsCompiler
from hub.recorder.writer import Writer

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")

RECORDER: HubKey[Recorder] = HubKey("recorder")
"""Where the running recorder is kept in ``hub.data``."""

BACKLOG_NOTICE = "recorder_backlog"
MIGRATION_NOTICE = "recorder_migration"
BACKLOG_LOG_INTERVAL = 60.0
STATISTICS_DELAY = 10.0


class Recorder:
    """Records states and events of a hub. Enter it with ``await hub.enter(recorder)``."""

    def __init__(self, hub: Hub, config: RecorderConfig) -> None:
        self.hub = hub
        self.config = config
        self.site_id = hub.settings.site_id
        self.engine = hub.db.engine
        self.backlog = Backlog(config.max_backlog)
        self.writer = Writer(
            self.engine, self.site_id, self.backlog, config.commit_interval, self._progress
        )
        self._filter = config.record_filter
        self._wake_each = config.commit_interval == 0
        self._unsubscribe: list[Callable[[], None]] = []
        self._timers: dict[str, Cancel] = {}
        self._logged = (0, 0)
        self._notice_task: asyncio.Task[Any] | None = None
        self.migration: dict[str, Any] = {}

    # -- lifecycle -------------------------------------------------------------------------
    async def __aenter__(self) -> Recorder:
        self.writer.start()
        self.hub.create_task(self._after_ready(), "recorder:ready")
        # States come from the state machine; every other event from the bus.
        self._unsubscribe = [
            self.hub.states.observe(self._on_state),
            self.hub.bus.listen(
                MATCH_ALL, self._on_event, skip=(EVENT_STATE_CHANGED, EVENT_STATE_REPORTED)
            ),
        ]
        self._schedule_statistics()
        if self.config.auto_purge:
            self._schedule_purge()
        self._timers["backlog"] = self.hub.clock.call_later(
            BACKLOG_LOG_INTERVAL, self._check_backlog
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()
        self.writer.stop()
        await asyncio.get_running_loop().run_in_executor(None, self.writer.join)

    # -- intake (loop) ---------------------------------------------------------------------
    def _on_state(self, entity_id: str, state: State, changed: bool) -> None:
        # Every state write passes here (a state machine observer, no Event built for it).
        if self._filter.entity(entity_id):
            self._put(KIND_STATE if changed else KIND_REPORTED, entity_id, state)

    def _on_event(self, event: Event) -> None:
        event_type = event.event_type
        if self._filter.event_type(event_type):
            self._put(KIND_EVENT, event_type, event)

    def _put(self, kind: int, key: str, payload: Any) -> None:
        if self.backlog.put((kind, key, payload)):
            self._backlog_started()
        if self._wake_each:
            self.writer.wake()

    def record_state_at(
        self,
        entity_id: str,
        state: str,
        attributes: Mapping[str, Any] | None,
        timestamp: float,
        *,
        context: Context | None = None,
    ) -> None:
        """Store a reading taken at ``timestamp`` (a device replaying its buffer, say).

        The live state is not touched and nothing is fired; the row is marked as late
        (``origin_idx`` 1) and lands in history at its own time.
        """
        if not valid_entity_id(entity_id):
            raise InvalidEntityId(f"invalid entity id {entity_id!r}")
        if len(state) > MAX_STATE_LENGTH:
            raise ValueError(f"state of {entity_id} is longer than {MAX_STATE_LENGTH}")
        when = dt.datetime.fromtimestamp(timestamp, dt.UTC)
        reading = State(
            entity_id,
            state,
            MappingProxyType(dict(attributes or {})),
            when,
            when,
            when,
            context or Context(origin="late"),
        )
        self._put(KIND_LATE, entity_id, reading)

    # -- jobs in the writer thread ---------------------------------------------------------
    async def _in_writer(self, job: Callable[[Writer], _T]) -> _T:
        return await asyncio.wrap_future(self.writer.submit(job))

    async def flush(self) -> None:
        """Return once everything queued before this call is committed."""
        await self._in_writer(lambda _writer: None)

    async def purge(
        self, keep_days: float | None = None, *, repack_db: bool = False
    ) -> PurgeResult:
        """Delete old history now (see :func:`hub.recorder.purge.purge`); repack when asked
        or, with ``auto_repack``, when the purge deleted ``repack_threshold`` rows or more."""
        config = self.config
        now = self.hub.clock.time()

        def job(writer: Writer) -> PurgeResult:
            result = purge(writer.engine, self.site_id, config.retention, now, keep_days)
            writer.shared.clear()
            big = config.auto_repack and result.total >= config.repack_threshold
            if repack_db or big:
                repack(writer.engine, full=repack_db)
                result.repacked = True
            return result

        result = await self._in_writer(job)
        _LOGGER.info(
            "Recorder purge deleted %d rows%s",
            result.total,
            " and repacked the database" if result.repacked else "",
        )
        return result

    async def compile_statistics(self, now: float | None = None) -> int:
        """Compile every finished five-minute period not compiled yet; return how many."""
        at = self.hub.clock.time() if now is None else now
        compiler = StatisticsCompiler(self.site_id)

        def job(writer: Writer) -> int:
            with writer.engine.begin() as conn:
                return compiler.compile_due(conn, at)

        return await self._in_writer(job)

    async def run_query(self, query: Callable[[Connection], _T]) -> _T:
        """Run a read-only ``query(connection)`` in the thread pool (never on the loop)."""

        def run() -> _T:
            with self.engine.connect() as conn:
                return query(conn)

        return await self.hub.run_in_executor(run)

    async def wait_ready(self) -> None:
        """Return once the schema is prepared (fresh, current or migrated)."""
        await self.hub.run_in_executor(self.writer.ready.wait)

    # -- schedules -------------------------------------------------------------------------
    def _schedule_statistics(self) -> None:
        now = self.hub.clock.time()
        due = (now // SHORT_TERM + 1) * SHORT_TERM + STATISTICS_DELAY
        self._timers["statistics"] = self.hub.clock.call_at(due, self._statistics_due)

    def _statistics_due(self) -> None:
        self.hub.create_task(self.compile_statistics(), "recorder:statistics")
        self._schedule_statistics()

    def _schedule_purge(self) -> None:
        zone = zoneinfo.ZoneInfo(self.hub.settings.time_zone)
        now = self.hub.clock.now().astimezone(zone)
        due = dt.datetime.combine(now.date(), self.config.purge_time, zone)
        if due <= now:
            due = dt.datetime.combine(
                now.date() + dt.timedelta(days=1), self.config.purge_time, zone
            )
        self._timers["purge"] = self.hub.clock.call_at(due.timestamp(), self._purge_due)

    def _purge_due(self) -> None:
        self.hub.create_task(self.purge(), "recorder:purge")
        self._schedule_purge()

    # -- visibility ------------------------------------------------------------------------
    def _backlog_started(self) -> None:
        _LOGGER.warning(
            "Recorder backlog reached %d items: coalescing pending states per entity until "
            "the database catches up",
            self.backlog.max_items,
        )
        self.hub.create_task(self._backlog_notice(), "recorder:backlog-notice")

    async def _backlog_notice(self) -> None:
        counters = self.backlog.counters
        await self.hub.notices.create(
            "Recorder is behind",
            f"The database could not keep up and the queue reached {self.backlog.max_items} "
            f"items ({counters.overflow_episodes} times since start). While behind, only the "
            "newest value of each entity waits to be written; older pending values are "
            "skipped and counted. Recording continues. Check the database's disk and load.",
            source="recorder",
            notice_id=BACKLOG_NOTICE,
        )

    def _check_backlog(self) -> None:
        counters = self.backlog.counters
        now = (counters.states_coalesced, counters.events_dropped)
        if now != self._logged:
            _LOGGER.warning(
                "Recorder backlog: %d pending, %d states coalesced, %d events dropped since start",
                len(self.backlog),
                now[0],
                now[1],
            )
            self._logged = now
        self._timers["backlog"] = self.hub.clock.call_later(
            BACKLOG_LOG_INTERVAL, self._check_backlog
        )

    def _progress(self, version: int, description: str, done: int, total: int) -> None:
        """Called by the writer thread during migrations."""
        update = {"version": version, "description": description, "done": done, "total": total}
        try:
            self.hub.add_job_threadsafe(self._on_progress, update)
        except RuntimeError:
            _LOGGER.debug("Migration progress after the loop closed: %s", update)

    def _on_progress(self, update: dict[str, Any]) -> None:
        first = not self.migration
        self.migration = update
        if first:
            self._notice_task = self.hub.create_task(
                self.hub.notices.create(
                    "Database upgrade in progress",
                    "The recorder is upgrading the history database in the background. "
                    "History recorded meanwhile is queued and written when it finishes.",
                    source="recorder",
                    notice_id=MIGRATION_NOTICE,
                ),
                "recorder:migration-notice",
            )

    async def _after_ready(self) -> None:
        await self.wait_ready()
        if self._notice_task is not None:
            await self._notice_task
            self.migration = {**self.migration, "finished": True}
            await self.hub.notices.dismiss(MIGRATION_NOTICE)
            _LOGGER.warning(
                "Database upgrade finished (schema version %s)", self.writer.counters.schema_version
            )

    def stats(self) -> dict[str, Any]:
        """Counters and gauges: queue, overflow policy, commits, schema and migration."""
        backlog = self.backlog.counters
        writer = self.writer.counters
        return {
            "queue_length": len(self.backlog),
            "max_backlog": self.backlog.max_items,
            "overflowing": self.backlog.overflowing,
            "overflow_episodes": backlog.overflow_episodes,
            "states_coalesced": backlog.states_coalesced,
            "events_dropped": backlog.events_dropped,
            "peak_queue": backlog.peak_queue,
            "states_written": writer.states_written,
            "events_written": writer.events_written,
            "reports_written": writer.reports_written,
            "commits": writer.commits,
            "commit_errors": writer.commit_errors,
            "last_commit_seconds": writer.last_commit_seconds,
            "last_commit_rows": writer.last_commit_rows,
            "schema_version": writer.schema_version,
            "ready": self.writer.ready.is_set(),
            "migration": dict(self.migration),
        }
