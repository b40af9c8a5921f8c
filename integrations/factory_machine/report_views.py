"""``GET /api/factory/reports/{kind}?site=&machine=&from=&to=&format=json|csv|pdf``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
from aiohttp import web

from hub.api import Hub

from .const import PATH_REPORT, REPORT_FORMATS, REPORT_KINDS
from .ingest import error
from .report_csv import render_csv
from .reports import Report, ReportRange, build_report, default_range

if TYPE_CHECKING:
    from .views import FactoryViews

CONTENT_TYPES = {"json": "application/json", "csv": "text/csv", "pdf": "application/pdf"}


def render(report: Report, fmt: str) -> bytes:
    """The report in ``fmt`` (blocking for PDF: run in the executor)."""
    if fmt == "csv":
        return render_csv(report)
    if fmt == "pdf":
        # reportlab is only imported when a PDF is asked for: it costs start-up time.
        from .report_pdf import render_pdf

        return render_pdf(report)
    return orjson.dumps(report.as_dict())


class ReportViews:
    """The report download route."""

    path = PATH_REPORT

    def __init__(self, hub: Hub, views: FactoryViews) -> None:
        self._hub = hub
        self._views = views

    async def get(self, request: web.Request) -> web.Response:
        """Build and return a report in the asked format."""
        from .views import parse_date

        kind = request.match_info["kind"]
        if kind not in REPORT_KINDS:
            return error(404, "not_found", f"report kinds: {', '.join(REPORT_KINDS)}")
        query = request.query
        fmt = query.get("format", "json")
        if fmt not in REPORT_FORMATS:
            return error(400, "invalid_format", f"format must be one of {REPORT_FORMATS}")
        machines = self._views.scoped_machines(
            request, query.get("site"), None, query.get("machine")
        )
        if not machines:
            return error(404, "not_found", "no machine matches")
        today = self._hub.clock.now().astimezone(machines[0].time_zone).date()
        span = default_range(kind, today)
        first = parse_date(query.get("from"), span.first)
        last = parse_date(query.get("to"), span.last if "from" not in query else first)
        if last < first or (last - first).days > 366:
            return error(400, "invalid_range", "from..to must span 1 to 366 days")
        scope = query.get("machine") or query.get("site") or "all"
        report = await build_report(
            self._hub, self._views.runtime(), kind, scope, machines, ReportRange(first, last)
        )
        body = await self._hub.run_in_executor(render, report, fmt)
        filename = f"{kind}-{scope.replace('/', '_')}-{first}-{last}.{fmt}"
        return web.Response(
            body=body,
            content_type=CONTENT_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
