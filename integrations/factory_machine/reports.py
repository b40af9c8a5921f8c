"""Weekly, monthly and compliance reports for a site or a machine.

A report holds the KPIs (OEE roll-up over the period), a daily OEE trend, one row per machine,
sensor statistics with threshold breaches, data completeness, and the alert history of the
machines' entities with acknowledgements. :func:`build_report` gathers the data; the CSV, PDF
and JSON renderers only format it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hub.api import ALERTS, Hub

from .oee import OEEResult
from .oee_service import compute, day_period, percent, result_dict, rollup_results
from .registry import Machine
from .runtime import FactoryRuntime
from .store import READINGS_SENSOR, load_machine_data, load_sensor_summaries

COMPLIANCE_COMPLETENESS = 0.95
"""A machine passes the compliance check with at least this share of expected data."""


@dataclass(frozen=True, slots=True)
class ReportRange:
    """Local dates ``first``..``last`` (inclusive)."""

    first: date
    last: date

    @property
    def days(self) -> list[date]:
        """Every date in the range."""
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def default_range(kind: str, today: date) -> ReportRange:
    """The last complete ISO week (weekly, compliance) or calendar month (monthly)."""
    if kind == "monthly":
        last = today.replace(day=1) - timedelta(days=1)
        return ReportRange(last.replace(day=1), last)
    monday = today - timedelta(days=today.weekday())
    return ReportRange(monday - timedelta(days=7), monday - timedelta(days=1))


@dataclass(slots=True)
class Report:
    """Everything a report shows, ready to render."""

    kind: str
    scope: str
    first: date
    last: date
    generated_at: datetime
    kpis: dict[str, Any] | None
    trend: list[dict[str, Any]]
    machines: list[dict[str, Any]]
    sensors: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    compliance: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "kind": self.kind,
            "scope": self.scope,
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "generated_at": self.generated_at.isoformat(),
            "kpis": self.kpis,
            "trend": self.trend,
            "machines": self.machines,
            "sensors": self.sensors,
            "alerts": self.alerts,
            "compliance": self.compliance,
        }


def _summary(result: OEEResult | None) -> dict[str, Any]:
    if result is None:
        return {}
    return {
        "oee_pct": percent(result.oee),
        "availability_pct": percent(result.availability),
        "performance_pct": percent(result.performance),
        "quality_pct": percent(result.quality),
        "planned_min": round(result.planned_minutes, 1),
        "run_min": round(result.run_minutes, 1),
        "total_count": result.total_count,
        "reject_count": result.reject_count,
        "completeness_pct": percent(result.data_completeness),
    }


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat()


async def _alerts(
    hub: Hub, runtime: FactoryRuntime, machines: Sequence[Machine], start: float, end: float
) -> list[dict[str, Any]]:
    manager = hub.data.get(ALERTS)
    if manager is None:
        return []
    owners: dict[str, str] = {}
    for machine in machines:
        entities = runtime.entities.get(machine.id)
        for entity in [] if entities is None else entities.all():
            if entity.added:
                owners[entity.entity_id] = machine.id
    await manager.store.flush()
    occurrences = await manager.store.occurrences(start=start, end=end)
    return [
        {
            "machine": owners[o.source],
            "alert": o.alert_id,
            "source": o.source,
            "severity": str(o.severity),
            "start": _iso(o.start_ts),
            "acknowledged": _iso(o.ack_ts),
            "acknowledged_by": o.ack_by,
            "cleared": _iso(o.clear_ts),
            "outcome": o.outcome,
        }
        for o in sorted(occurrences, key=lambda o: o.start_ts)
        if o.source in owners
    ]


async def build_report(
    hub: Hub,
    runtime: FactoryRuntime,
    kind: str,
    scope: str,
    machines: Sequence[Machine],
    span: ReportRange,
) -> Report:
    """Gather a report's data (queries in the database thread, arithmetic in the executor)."""
    await runtime.flush()
    periods = {m.id: [day_period(m, d) for d in span.days] for m in machines}
    start = min(p[0].start for p in periods.values())
    end = max(p[-1].end for p in periods.values())
    ids = [m.id for m in machines]
    s, e = start.timestamp(), end.timestamp()
    data = await hub.db.run(lambda session: load_machine_data(session, ids, s, e, bucket=900))
    sensors = await hub.db.run(lambda session: load_sensor_summaries(session, ids, s, e))
    alerts = await _alerts(hub, runtime, machines, s, e)

    def work() -> Report:
        daily = {m.id: compute(m, data[m.id], periods[m.id]) for m in machines}
        label = f"{span.first.isoformat()}..{span.last.isoformat()}"
        per_machine = {m.id: rollup_results(daily[m.id], m.id, label) for m in machines}
        members = [r for r in per_machine.values() if r is not None]
        total = rollup_results(members, scope, label)
        trend = []
        for index, day in enumerate(span.days):
            of_day = [daily[m.id][index] for m in machines]
            trend.append({"date": day.isoformat(), **_summary(rollup_results(of_day, scope))})
        breaches: dict[str, int] = {}
        sensor_rows = []
        for summary in sensors:
            if summary.sensor == READINGS_SENSOR:
                continue
            breaches[summary.machine] = breaches.get(summary.machine, 0) + summary.breaches
            sensor_rows.append(
                {
                    "machine": summary.machine,
                    "sensor": summary.sensor,
                    "readings": summary.count,
                    "mean": None if summary.mean is None else round(summary.mean, 3),
                    "min": summary.minimum,
                    "max": summary.maximum,
                    "breaches": summary.breaches,
                }
            )
        alert_count = {m.id: 0 for m in machines}
        for alert in alerts:
            alert_count[alert["machine"]] += 1
        machine_rows = [
            {
                "machine": m.id,
                "name": m.name,
                **_summary(per_machine[m.id]),
                "breaches": breaches.get(m.id, 0),
                "alerts": alert_count[m.id],
            }
            for m in machines
        ]
        compliance = [
            {
                "machine": row["machine"],
                "completeness_pct": row.get("completeness_pct"),
                "breaches": row["breaches"],
                "alerts": row["alerts"],
                "unacknowledged": sum(
                    1 for a in alerts if a["machine"] == row["machine"] and not a["acknowledged"]
                ),
                "pass": (row.get("completeness_pct") or 0.0) >= COMPLIANCE_COMPLETENESS * 100,
            }
            for row in machine_rows
        ]
        return Report(
            kind=kind,
            scope=scope,
            first=span.first,
            last=span.last,
            generated_at=hub.clock.now().astimezone(UTC),
            kpis=None if total is None else {**_summary(total), "detail": result_dict(total)},
            trend=trend,
            machines=machine_rows,
            sensors=sensor_rows,
            alerts=alerts,
            compliance=compliance,
        )

    return await hub.run_in_executor(work)
