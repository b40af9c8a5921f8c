"""Scheduled reports: written to a folder per site and announced through ``notify.<target>``.

``reports: {schedule: daily|weekly|monthly, folder: reports, email_target: ops}`` runs at
01:00 in each site's time zone (weekly on Mondays, monthly on the 1st) and covers the last
complete day, ISO week or month. The notification carries a summary and the saved paths
(the notify integration has no attachments).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hub.api import Hub, ServiceNotFound

from .const import CONF_EMAIL_TARGET, CONF_FOLDER, CONF_FORMATS, CONF_SCHEDULE_KIND
from .report_views import render
from .reports import Report, ReportRange, build_report, default_range
from .runtime import FactoryRuntime

_LOGGER = logging.getLogger(__name__)
RUN_AT = time(1, 0)


def next_run(kind: str, now: datetime, zone: ZoneInfo) -> datetime:
    """The next scheduled instant after ``now`` (aware, UTC)."""
    day = now.astimezone(zone).date()
    for offset in range(0, 40):
        candidate = day + timedelta(days=offset)
        if kind == "weekly" and candidate.weekday() != 0:
            continue
        if kind == "monthly" and candidate.day != 1:
            continue
        instant = datetime.combine(candidate, RUN_AT, tzinfo=zone).astimezone(UTC)
        if instant > now:
            return instant
    raise ValueError(f"no run time found for {kind}")


def report_range(kind: str, today: date) -> ReportRange:
    """The range a scheduled run covers."""
    if kind == "daily":
        yesterday = today - timedelta(days=1)
        return ReportRange(yesterday, yesterday)
    return default_range(kind, today)


def summary(report: Report) -> str:
    """One paragraph for the notification."""
    kpis = report.kpis or {}
    return (
        f"{report.kind} report for {report.scope}, {report.first} to {report.last}: "
        f"OEE {kpis.get('oee_pct')} %, availability {kpis.get('availability_pct')} %, "
        f"performance {kpis.get('performance_pct')} %, quality {kpis.get('quality_pct')} %, "
        f"{kpis.get('total_count', 0)} parts, {len(report.alerts)} alerts."
    )


class ReportScheduler:
    """Runs the configured report schedule for every site."""

    def __init__(self, hub: Hub, runtime: FactoryRuntime, config: Mapping[str, Any]) -> None:
        self._hub = hub
        self._runtime = runtime
        self._config = config
        self._cancels: list[Callable[[], None]] = []
        self._tasks: set[asyncio.Task[list[Path]]] = set()

    @property
    def folder(self) -> Path:
        """Where reports are written (relative paths are under the config directory)."""
        folder = Path(self._config[CONF_FOLDER])
        return folder if folder.is_absolute() else self._hub.config_dir / folder

    def start(self) -> None:
        """Arm the timers (nothing without ``schedule``)."""
        if self._config.get(CONF_SCHEDULE_KIND):
            for site in self._runtime.registry.site_names:
                self._arm(site)

    def _zone(self, site: str) -> ZoneInfo:
        machines = self._runtime.registry.machines(site=site)
        return machines[0].time_zone if machines else ZoneInfo("UTC")

    def _arm(self, site: str) -> None:
        when = next_run(self._config[CONF_SCHEDULE_KIND], self._hub.clock.now(), self._zone(site))

        def fire() -> None:
            task = self._hub.create_task(self.run_site(site), f"factory report {site}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            self._arm(site)

        self._cancels.append(self._hub.clock.call_at(when.timestamp(), fire))

    async def stop(self) -> None:
        """Disarm the timers and wait for running reports."""
        for cancel in self._cancels:
            cancel()
        self._cancels.clear()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def run_site(self, site: str, today: date | None = None) -> list[Path]:
        """Build, save and announce the scheduled report of one site; return the files."""
        kind = self._config.get(CONF_SCHEDULE_KIND) or "weekly"
        machines = self._runtime.registry.machines(site=site)
        if not machines:
            return []
        zone = self._zone(site)
        day = today or self._hub.clock.now().astimezone(zone).date()
        span = report_range(kind, day)
        report_kind = "monthly" if kind == "monthly" else "weekly"
        report = await build_report(self._hub, self._runtime, report_kind, site, machines, span)
        paths = await self._hub.run_in_executor(self._save, report, site, kind)
        target = self._config.get(CONF_EMAIL_TARGET)
        if target:
            await self._notify(target, report, paths)
        return paths

    def _save(self, report: Report, site: str, kind: str) -> list[Path]:
        self.folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for fmt in self._config[CONF_FORMATS]:
            path = self.folder / f"{kind}-{site}-{report.first}-{report.last}.{fmt}"
            path.write_bytes(render(report, fmt))
            paths.append(path)
        return paths

    async def _notify(self, target: str, report: Report, paths: list[Path]) -> None:
        files = [str(path) for path in paths]
        message = summary(report) + " Saved: " + ", ".join(files)
        try:
            await self._hub.services.call(
                "notify",
                target,
                {
                    "title": f"Fieldhub {report.kind} report {report.scope}",
                    "message": message,
                    "data": {"report_files": files},
                },
            )
        except ServiceNotFound:
            _LOGGER.warning("Report saved but notify.%s does not exist", target)
