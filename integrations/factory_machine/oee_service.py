"""OEE over stored data: periods for a machine's calendar, loading, computing and serialising.

Everything blocking (the SQL queries, the engine's arithmetic over a month of intervals) runs
off the event loop: queries in the database thread, computation in the executor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hub.api import Hub

from .oee import MachineInput, OEEResult, compute_oee, rollup
from .registry import Machine
from .shifts import Period
from .store import MachineData, load_machine_data

DAY = timedelta(days=1)


def day_period(machine: Machine, day: date) -> Period:
    """The machine's local calendar day."""
    if machine.calendar is not None:
        return machine.calendar.day_period(day)
    start = datetime.combine(day, time(), tzinfo=machine.time_zone).astimezone(UTC)
    end = datetime.combine(day + DAY, time(), tzinfo=machine.time_zone).astimezone(UTC)
    return Period(start, end, day.isoformat())


def shift_periods(machine: Machine, day: date) -> list[Period]:
    """The shifts starting on local ``day`` (the whole day when there is no calendar)."""
    if machine.calendar is None:
        return [day_period(machine, day)]
    whole = day_period(machine, day)
    return [
        shift.period
        for shift in machine.calendar.shifts_between(whole.start, whole.end)
        if shift.day == day
    ]


def current_shift(machine: Machine, now: datetime) -> Period | None:
    """The shift occurrence containing ``now`` (the local day without a calendar)."""
    if machine.calendar is None:
        return day_period(machine, now.astimezone(machine.time_zone).date())
    shifts = machine.calendar.shifts_between(now, now + timedelta(microseconds=1))
    return shifts[0].period if shifts else None


def local_day(machine: Machine, now: datetime) -> date:
    """The machine's local date at ``now``."""
    return now.astimezone(machine.time_zone).date()


def clip(period: Period, now: datetime) -> Period:
    """``period`` cut off at ``now`` (OEE so far)."""
    if period.end <= now:
        return period
    return Period(period.start, max(period.start, now), period.label)


def to_input(machine: Machine, data: MachineData) -> MachineInput:
    """The engine's input for one machine."""
    return MachineInput(machine.id, data.states, data.parts, data.rejects)


def compute(machine: Machine, data: MachineData, periods: Sequence[Period]) -> list[OEEResult]:
    """One result per period (pure; run it in the executor for long windows)."""
    machine_input = to_input(machine, data)
    return [compute_oee(machine_input, p, machine.oee, machine.calendar) for p in periods]


async def load(
    hub: Hub, machines: Sequence[Machine], start: datetime, end: datetime
) -> dict[str, MachineData]:
    """Stored data of ``machines`` over ``[start, end)``, in the database thread."""
    ids = [m.id for m in machines]
    s, e = start.timestamp(), end.timestamp()
    return await hub.db.run(lambda session: load_machine_data(session, ids, s, e))


async def results_for(
    hub: Hub, machines: Sequence[Machine], periods_of: dict[str, list[Period]]
) -> dict[str, list[OEEResult]]:
    """Compute the listed periods of each machine from stored data."""
    spans = [p for m in machines for p in periods_of.get(m.id, [])]
    if not spans:
        return {m.id: [] for m in machines}
    start = min(p.start for p in spans)
    end = max(p.end for p in spans)
    data = await load(hub, machines, start, end)

    def work() -> dict[str, list[OEEResult]]:
        return {m.id: compute(m, data[m.id], periods_of.get(m.id, [])) for m in machines}

    return await hub.run_in_executor(work)


def rollup_results(results: Sequence[OEEResult], scope: str, label: str = "") -> OEEResult | None:
    """Sum-based roll-up, or None without members."""
    return rollup(results, scope, label) if results else None


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def result_dict(result: OEEResult) -> dict[str, Any]:
    """An :class:`OEEResult` as JSON-ready data (factors 0-1, minutes rounded)."""
    data = asdict(result)
    data["period"] = {
        "start": result.period.start.isoformat(),
        "end": result.period.end.isoformat(),
        "label": result.period.label,
    }
    for key, value in list(data.items()):
        if isinstance(value, float):
            data[key] = _round(value)
    data["six_big_losses"] = {
        k: (_round(v) if isinstance(v, float) else v) for k, v in data["six_big_losses"].items()
    }
    data["downtime_reasons"] = [
        {**reason, "minutes": _round(reason["minutes"]), "loss_class": str(reason["loss_class"])}
        for reason in data["downtime_reasons"][:10]
    ]
    data["flags"] = [str(flag) for flag in result.flags]
    data["members"] = list(result.members)
    return data


def percent(value: float | None) -> float | None:
    """A 0-1 factor as a percentage with one decimal."""
    return None if value is None else round(value * 100.0, 1)
