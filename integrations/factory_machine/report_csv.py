"""A report as CSV: one section per table, separated by a blank line and a ``# title`` row."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from .reports import Report

_SECTIONS = (
    ("daily trend", "trend"),
    ("machines", "machines"),
    ("sensors", "sensors"),
    ("alerts", "alerts"),
    ("compliance", "compliance"),
)


def _table(writer: Any, title: str, rows: Sequence[dict[str, Any]]) -> None:
    writer.writerow([f"# {title}"])
    if not rows:
        writer.writerow(["(none)"])
        return
    columns = list(rows[0])
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])


def render_csv(report: Report) -> bytes:
    """UTF-8 CSV of every table of the report."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["# report", report.kind, report.scope, report.first, report.last])
    kpis = {k: v for k, v in (report.kpis or {}).items() if k != "detail"}
    _table(writer, "kpis", [kpis] if kpis else [])
    for title, attribute in _SECTIONS:
        writer.writerow([])
        _table(writer, title, getattr(report, attribute))
    return buffer.getvalue().encode()
