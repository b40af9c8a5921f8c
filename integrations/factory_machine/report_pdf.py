"""A report as PDF (reportlab): KPIs, a daily OEE chart and table, machines, alerts.

Rendering is blocking; call :func:`render_pdf` in the executor.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .reports import Report

_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> Table:
    data = [[title for _, title in columns]]
    data.extend([_cell(row.get(key)) for key, _ in columns] for row in rows)
    table = Table(data, repeatRows=1)
    table.setStyle(_STYLE)
    return table


def _chart(trend: Sequence[dict[str, Any]]) -> Drawing:
    drawing = Drawing(170 * mm, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 10 * mm, 10 * mm
    chart.width, chart.height = 150 * mm, 45 * mm
    chart.data = [[row.get("oee_pct") or 0.0 for row in trend]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.categoryAxis.categoryNames = [row["date"][5:] for row in trend]
    chart.categoryAxis.labels.fontSize = 6
    chart.bars[0].fillColor = colors.steelblue
    drawing.add(chart)
    return drawing


_OEE_COLUMNS = (
    ("oee_pct", "OEE %"),
    ("availability_pct", "A %"),
    ("performance_pct", "P %"),
    ("quality_pct", "Q %"),
    ("total_count", "parts"),
    ("reject_count", "rejects"),
    ("completeness_pct", "data %"),
)


def render_pdf(report: Report) -> bytes:
    """The report as a PDF document."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{report.kind} report {report.scope}",
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    story: list[Any] = [
        Paragraph(f"Fieldhub {report.kind} report: {report.scope}", styles["Title"]),
        Paragraph(
            f"Period {report.first.isoformat()} to {report.last.isoformat()}; generated "
            f"{report.generated_at.strftime('%Y-%m-%d %H:%M UTC')}",
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
        Paragraph("Key figures", styles["Heading2"]),
        _table([report.kpis or {}], _OEE_COLUMNS),
        Spacer(1, 4 * mm),
        Paragraph("Daily OEE", styles["Heading2"]),
    ]
    if report.trend:
        story.append(_chart(report.trend))
    story += [
        _table(report.trend, (("date", "date"), *_OEE_COLUMNS)),
        Paragraph("Machines", styles["Heading2"]),
        _table(
            report.machines,
            (("machine", "machine"), *_OEE_COLUMNS, ("breaches", "breaches"), ("alerts", "alerts")),
        ),
        Paragraph("Threshold breaches by sensor", styles["Heading2"]),
        _table(
            report.sensors,
            (
                ("machine", "machine"),
                ("sensor", "sensor"),
                ("readings", "readings"),
                ("mean", "mean"),
                ("min", "min"),
                ("max", "max"),
                ("breaches", "breaches"),
            ),
        ),
        Paragraph("Alert history", styles["Heading2"]),
        _table(
            report.alerts,
            (
                ("machine", "machine"),
                ("alert", "alert"),
                ("severity", "severity"),
                ("start", "start"),
                ("acknowledged", "acknowledged"),
                ("acknowledged_by", "by"),
                ("outcome", "outcome"),
            ),
        ),
        Paragraph("Data completeness and compliance", styles["Heading2"]),
        _table(
            report.compliance,
            (
                ("machine", "machine"),
                ("completeness_pct", "data %"),
                ("breaches", "breaches"),
                ("alerts", "alerts"),
                ("unacknowledged", "unacknowledged"),
                ("pass", "pass"),
            ),
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
