"""Refilling the telemetry window from the recorder when the hub starts."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from hub.recorder.history import entity_rows, metadata_ids
from hub.window.numeric import to_float
from hub.window.store import TelemetryWindow

if TYPE_CHECKING:
    from hub.recorder.recorder import Recorder

_LOGGER = logging.getLogger(__name__)

Points = list[tuple[float, float]]


def recent_numeric_points(
    conn: Connection, site_id: str, start: float, end: float
) -> dict[str, Points]:
    """Numeric readings of every entity of the site in ``[start, end)``, oldest first."""
    found: dict[str, Points] = {}
    for entity_id, metadata_id in metadata_ids(conn, site_id, None).items():
        points = []
        for state, updated, _changed, _attributes in entity_rows(
            conn, metadata_id, start, end, False
        ):
            value = None if state is None else to_float(state)
            if value is not None:
                points.append((updated, value))
        if points:
            found[entity_id] = points
    return found


async def restore_window(window: TelemetryWindow, recorder: Recorder, now: float) -> int:
    """Load the last ``window.span`` of history into ``window``; return the points added.

    The query runs in the thread pool; points are added one entity at a time with a yield
    in between, so live readings keep flowing while a large window refills.
    """
    await recorder.wait_ready()
    start = now - window.span.total_seconds()
    site_id = recorder.site_id
    history = await recorder.run_query(
        lambda conn: recent_numeric_points(conn, site_id, start, now)
    )
    added = 0
    for entity_id, points in history.items():
        added += window.add_many(entity_id, points)
        await asyncio.sleep(0)
    _LOGGER.info("Telemetry window restored %d points for %d entities", added, len(history))
    return added
