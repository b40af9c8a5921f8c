"""CSV export of one entity's recorded history."""

from __future__ import annotations

import csv
import io

from sqlalchemy import Connection

from hub.recorder.history import iso, states_in_range

CSV_HEADER = ("entity_id", "state", "last_changed", "last_updated")


def history_csv(conn: Connection, site_id: str, entity_id: str, start: float, end: float) -> str:
    """Every recorded state of ``entity_id`` in ``[start, end)`` as CSV text with a header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for state, updated, changed in states_in_range(conn, site_id, entity_id, start, end):
        writer.writerow((entity_id, state, iso(changed), iso(updated)))
    return buffer.getvalue()
