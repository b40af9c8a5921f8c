"""Deleting old history per entity, orphaned shared rows, and repacking the file.

Deletes run in chunks of :data:`CHUNK` rows, each its own transaction, so a purge of
millions of rows never holds one huge transaction or lock.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine, text

from hub.recorder.blocks import BLOCK_SECONDS, block_start, rebuild_range
from hub.recorder.filters import Retention

_LOGGER = logging.getLogger(__name__)
CHUNK = 10_000
DAY = 86_400.0


@dataclass(slots=True)
class PurgeResult:
    """Rows deleted by one purge, and whether the database was repacked."""

    states: int = 0
    events: int = 0
    attributes: int = 0
    event_data: int = 0
    event_types: int = 0
    states_meta: int = 0
    states_blocks: int = 0
    statistics_short_term: int = 0
    repacked: bool = False

    @property
    def total(self) -> int:
        """Rows deleted in all."""
        return sum(value for key, value in asdict(self).items() if key != "repacked")

    def as_dict(self) -> dict[str, Any]:
        """Serialise for service responses."""
        return {**asdict(self), "total": self.total}


def _chunked(engine: Engine, sql: str, params: dict[str, Any]) -> int:
    deleted = 0
    while True:
        with engine.begin() as conn:
            count = conn.execute(text(sql), params).rowcount
        deleted += count
        if count < CHUNK:
            return deleted


def purge(
    engine: Engine, site_id: str, retention: Retention, now: float, keep_days: float | None = None
) -> PurgeResult:
    """Delete this site's history older than each entity's retention.

    ``keep_days`` overrides the configured default (per-entity rules still apply when they
    keep less). Orphaned attributes, event payloads, event types and metadata go too.
    """
    result = PurgeResult()
    default_days = retention.keep_days if keep_days is None else keep_days
    with engine.connect() as conn:
        meta = conn.execute(
            text("SELECT metadata_id, entity_id FROM states_meta WHERE site_id = :site"),
            {"site": site_id},
        ).all()
    for metadata_id, entity_id in meta:
        days = retention.days_for(entity_id)
        days = min(days, default_days) if keep_days is not None else days
        cut = now - days * DAY
        result.states += _chunked(
            engine,
            "DELETE FROM states WHERE state_id IN (SELECT state_id FROM states "
            f"WHERE metadata_id = :m AND last_updated_ts < :cut LIMIT {CHUNK})",
            {"m": metadata_id, "cut": cut},
        )
        result.states_blocks += _purge_blocks(engine, metadata_id, cut)
    cutoff = now - default_days * DAY
    result.events = _chunked(
        engine,
        "DELETE FROM events WHERE event_id IN (SELECT event_id FROM events "
        f"WHERE site_id = :site AND time_fired_ts < :cut LIMIT {CHUNK})",
        {"site": site_id, "cut": cutoff},
    )
    result.statistics_short_term = _chunked(
        engine,
        "DELETE FROM statistics_short_term WHERE id IN (SELECT s.id FROM statistics_short_term s "
        "JOIN statistics_meta m ON m.id = s.metadata_id "
        f"WHERE m.site_id = :site AND s.start_ts < :cut LIMIT {CHUNK})",
        {"site": site_id, "cut": cutoff},
    )
    _purge_orphans(engine, site_id, result)
    return result


def _purge_blocks(engine: Engine, metadata_id: int, cut: float) -> int:
    """Delete the blocks that end before ``cut`` and rebuild the one it falls in."""
    boundary = block_start(cut)
    deleted = _chunked(
        engine,
        "DELETE FROM states_blocks WHERE metadata_id = :m AND block_start_ts IN "
        "(SELECT block_start_ts FROM states_blocks WHERE metadata_id = :m "
        f"AND block_start_ts < :first LIMIT {CHUNK})",
        {"m": metadata_id, "first": boundary},
    )
    if boundary < cut:
        with engine.begin() as conn:
            rebuild_range(conn, metadata_id, boundary, boundary + BLOCK_SECONDS)
    return deleted


def _purge_orphans(engine: Engine, site_id: str, result: PurgeResult) -> None:
    result.attributes = _chunked(
        engine,
        "DELETE FROM state_attributes WHERE attributes_id IN (SELECT a.attributes_id "
        "FROM state_attributes a WHERE NOT EXISTS (SELECT 1 FROM states s "
        f"WHERE s.attributes_id = a.attributes_id) LIMIT {CHUNK})",
        {},
    )
    result.event_data = _chunked(
        engine,
        "DELETE FROM event_data WHERE data_id IN (SELECT d.data_id FROM event_data d "
        f"WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.data_id = d.data_id) LIMIT {CHUNK})",
        {},
    )
    result.event_types = _chunked(
        engine,
        "DELETE FROM event_types WHERE event_type_id IN (SELECT t.event_type_id "
        "FROM event_types t WHERE NOT EXISTS (SELECT 1 FROM events e "
        f"WHERE e.event_type_id = t.event_type_id) LIMIT {CHUNK})",
        {},
    )
    result.states_meta = _chunked(
        engine,
        "DELETE FROM states_meta WHERE metadata_id IN (SELECT m.metadata_id FROM states_meta m "
        "WHERE m.site_id = :site AND NOT EXISTS (SELECT 1 FROM states s "
        f"WHERE s.metadata_id = m.metadata_id) LIMIT {CHUNK})",
        {"site": site_id},
    )


def repack(engine: Engine, *, full: bool) -> None:
    """Give freed space back: SQLite ``VACUUM``; PostgreSQL ``VACUUM ANALYZE`` (``FULL``
    only when asked, as it locks the tables every site shares)."""
    if engine.dialect.name == "sqlite":
        statement = "VACUUM"
    elif engine.dialect.name == "postgresql":
        statement = "VACUUM FULL ANALYZE" if full else "VACUUM ANALYZE"
    else:
        statement = "OPTIMIZE TABLE states, state_attributes, events, event_data"
    _LOGGER.info("Repacking the recorder database (%s)", statement)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text(statement))
