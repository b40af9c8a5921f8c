"""Five-minute and hourly statistics compiled from recorded states, and reading them back.

Sensors whose attributes carry ``state_class: measurement`` get a time-weighted mean, the
minimum and the maximum of each period. ``total`` and ``total_increasing`` sensors get the
last ``state`` and a running ``sum`` of increases (a drop of a ``total_increasing`` value
is a meter reset: the new value counts as the increase).
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select

from hub.core.jsonutil import loads
from hub.recorder.schema import (
    StateAttributes,
    States,
    StatesMeta,
    Statistics,
    StatisticsMeta,
    StatisticsRuns,
    StatisticsShortTerm,
    table_of,
)

SHORT_TERM = 300.0
HOUR = 3600.0
MAX_CATCH_UP = 288  # one day of five-minute periods per compile run
PERIODS = ("5minute", "hour", "day")


@dataclass(frozen=True, slots=True)
class StatisticRow:
    """One period of one statistic."""

    start: float
    mean: float | None
    min: float | None
    max: float | None
    state: float | None
    sum: float | None

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API (start as ISO 8601)."""
        return {
            "start": dt.datetime.fromtimestamp(self.start, dt.UTC).isoformat(),
            "mean": self.mean,
            "min": self.min,
            "max": self.max,
            "state": self.state,
            "sum": self.sum,
        }


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def time_weighted(
    points: Sequence[tuple[float, float | None]], start: float, end: float
) -> tuple[float | None, float | None, float | None]:
    """``(mean, min, max)`` of a step function given as ``(since, value)`` points.

    The first point may lie before ``start`` (the value in effect at the start); a None
    value is a gap that counts neither towards the mean nor its duration.
    """
    total = weighted = 0.0
    low = high = None
    for index, (since, value) in enumerate(points):
        until = points[index + 1][0] if index + 1 < len(points) else end
        since = max(since, start)
        until = min(until, end)
        if value is None or until <= since:
            continue
        low = value if low is None else min(low, value)
        high = value if high is None else max(high, value)
        weighted += value * (until - since)
        total += until - since
    if low is None:
        return None, None, None
    mean = weighted / total if total > 0 else low
    return mean, low, high


class StatisticsCompiler:
    """Compiles due periods for one site (runs in the writer thread)."""

    def __init__(self, site_id: str) -> None:
        self.site_id = site_id

    def compile_due(self, conn: Connection, now: float) -> int:
        """Compile every finished five-minute period not compiled yet; return how many."""
        last_end = math.floor(now / SHORT_TERM) * SHORT_TERM
        last_run = conn.scalar(
            select(func.max(StatisticsRuns.start_ts)).where(StatisticsRuns.site_id == self.site_id)
        )
        start = last_end - SHORT_TERM if last_run is None else last_run + SHORT_TERM
        start = max(start, last_end - MAX_CATCH_UP * SHORT_TERM)
        count = 0
        while start + SHORT_TERM <= last_end:
            self.compile_period(conn, start, now)
            count += 1
            start += SHORT_TERM
        return count

    def compile_period(self, conn: Connection, start: float, now: float) -> None:
        """Compile the five-minute period at ``start`` (and its hour when it ends one)."""
        end = start + SHORT_TERM
        series = self._series(conn, start, end)
        meta_ids = self._statistics_meta(conn, series)
        rows = []
        for entity_id, (state_class, _unit, points) in series.items():
            meta_id = meta_ids[entity_id]
            row = {
                "metadata_id": meta_id,
                "start_ts": start,
                "created_ts": now,
                "mean": None,
                "min": None,
                "max": None,
                "state": None,
                "sum": None,
            }
            if state_class == "measurement":
                row["mean"], row["min"], row["max"] = time_weighted(points, start, end)
                if row["mean"] is None:
                    continue
            else:
                values = [value for _, value in points if value is not None]
                if not values:
                    continue
                row["state"], row["sum"] = self._running_sum(
                    conn, meta_id, state_class, points, start
                )
            rows.append(row)
        if rows:
            conn.execute(insert(table_of(StatisticsShortTerm)), rows)
        conn.execute(insert(table_of(StatisticsRuns)).values(site_id=self.site_id, start_ts=start))
        if end % HOUR == 0:
            self._compile_hour(conn, end - HOUR, now)

    def _series(
        self, conn: Connection, start: float, end: float
    ) -> dict[str, tuple[str, str | None, list[tuple[float, float | None]]]]:
        """Per statistic entity: state class, unit and the points of the period."""
        candidates = select(StatesMeta.metadata_id, StatesMeta.entity_id).where(
            StatesMeta.site_id == self.site_id
        )
        known = set(
            conn.scalars(
                select(StatisticsMeta.statistic_id).where(
                    StatisticsMeta.site_id == self.site_id, StatisticsMeta.source == "recorder"
                )
            )
        )
        in_period = conn.execute(
            select(States.metadata_id, States.state, States.last_updated_ts, States.attributes_id)
            .where(States.last_updated_ts >= start, States.last_updated_ts < end)
            .where(States.metadata_id.in_(candidates.with_only_columns(StatesMeta.metadata_id)))
            .order_by(States.metadata_id, States.last_updated_ts)
        ).all()
        entity_of = {meta_id: entity_id for meta_id, entity_id in conn.execute(candidates)}
        rows_by_meta: dict[int, list[Any]] = defaultdict(list)
        for row in in_period:
            rows_by_meta[row.metadata_id].append(row)
        wanted = set(rows_by_meta) | {m for m, e in entity_of.items() if e in known}
        attributes = _Attributes(conn)
        series = {}
        for meta_id in wanted:
            before = conn.execute(
                select(States.state, States.last_updated_ts, States.attributes_id)
                .where(States.metadata_id == meta_id, States.last_updated_ts < start)
                .order_by(States.last_updated_ts.desc())
                .limit(1)
            ).first()
            rows = ([before] if before is not None else []) + rows_by_meta.get(meta_id, [])
            if not rows:
                continue
            state_class, unit = attributes.statistic_kind(rows[-1].attributes_id)
            if state_class is None:
                continue
            points = [(row.last_updated_ts, _number(row.state)) for row in rows]
            series[entity_of[meta_id]] = (state_class, unit, points)
        return series

    def _statistics_meta(
        self, conn: Connection, series: dict[str, tuple[str, str | None, Any]]
    ) -> dict[str, int]:
        if not series:
            return {}
        found = {
            statistic_id: meta_id
            for statistic_id, meta_id in conn.execute(
                select(StatisticsMeta.statistic_id, StatisticsMeta.id).where(
                    StatisticsMeta.site_id == self.site_id,
                    StatisticsMeta.statistic_id.in_(series),
                )
            )
        }
        for entity_id, (state_class, unit, _points) in series.items():
            if entity_id in found:
                continue
            found[entity_id] = int(
                conn.execute(
                    insert(table_of(StatisticsMeta))
                    .values(
                        site_id=self.site_id,
                        statistic_id=entity_id,
                        source="recorder",
                        unit_of_measurement=unit,
                        has_mean=state_class == "measurement",
                        has_sum=state_class != "measurement",
                    )
                    .returning(StatisticsMeta.id)
                ).scalar_one()
            )
        return found

    @staticmethod
    def _running_sum(
        conn: Connection,
        meta_id: int,
        state_class: str,
        points: Sequence[tuple[float, float | None]],
        start: float,
    ) -> tuple[float, float]:
        previous = conn.execute(
            select(StatisticsShortTerm.state, StatisticsShortTerm.sum)
            .where(StatisticsShortTerm.metadata_id == meta_id, StatisticsShortTerm.start_ts < start)
            .order_by(StatisticsShortTerm.start_ts.desc())
            .limit(1)
        ).first()
        values = [value for _, value in points if value is not None]
        last_state = previous.state if previous is not None else values[0]
        total = previous.sum if previous is not None and previous.sum is not None else 0.0
        for value in values:
            delta = value - last_state
            if delta < 0 and state_class == "total_increasing":
                delta = value
            total += delta
            last_state = value
        return values[-1], total

    def _compile_hour(self, conn: Connection, start: float, now: float) -> None:
        short = StatisticsShortTerm
        rows = conn.execute(
            select(short.metadata_id, short.mean, short.min, short.max, short.state, short.sum)
            .join(StatisticsMeta, StatisticsMeta.id == short.metadata_id)
            .where(StatisticsMeta.site_id == self.site_id)
            .where(short.start_ts >= start, short.start_ts < start + HOUR)
            .order_by(short.metadata_id, short.start_ts)
        ).all()
        grouped: dict[int, list[Any]] = defaultdict(list)
        for row in rows:
            grouped[row.metadata_id].append(row)
        hourly = [
            {"metadata_id": meta_id, "start_ts": start, "created_ts": now, **_combine(group)}
            for meta_id, group in grouped.items()
        ]
        if hourly:
            conn.execute(insert(table_of(Statistics)), hourly)


def _combine(rows: Sequence[Any]) -> dict[str, float | None]:
    means = [row.mean for row in rows if row.mean is not None]
    lows = [row.min for row in rows if row.min is not None]
    highs = [row.max for row in rows if row.max is not None]
    return {
        "mean": sum(means) / len(means) if means else None,
        "min": min(lows) if lows else None,
        "max": max(highs) if highs else None,
        "state": rows[-1].state,
        "sum": rows[-1].sum,
    }


class _Attributes:
    """State class and unit per attributes id, parsed once per compile."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._kinds: dict[int | None, tuple[str | None, str | None]] = {None: (None, None)}

    def statistic_kind(self, attributes_id: int | None) -> tuple[str | None, str | None]:
        kind = self._kinds.get(attributes_id)
        if kind is None:
            shared = self._conn.scalar(
                select(StateAttributes.shared_attrs).where(
                    StateAttributes.attributes_id == attributes_id
                )
            )
            attrs = loads(shared) if shared else {}
            state_class = attrs.get("state_class")
            unit = attrs.get("unit_of_measurement")
            kind = (
                state_class
                if state_class in ("measurement", "total", "total_increasing")
                else None,
                str(unit) if unit is not None else None,
            )
            self._kinds[attributes_id] = kind
        return kind


def read_statistics(
    conn: Connection,
    site_id: str,
    statistic_id: str,
    start: float,
    end: float,
    period: str,
    time_zone: str = "UTC",
) -> list[StatisticRow]:
    """Rows of ``statistic_id`` in ``[start, end)`` per ``5minute``, ``hour`` or ``day``."""
    table = table_of(StatisticsShortTerm if period == "5minute" else Statistics)
    rows = conn.execute(
        select(table.c.start_ts, table.c.mean, table.c.min, table.c.max, table.c.state, table.c.sum)
        .join(table_of(StatisticsMeta), StatisticsMeta.id == table.c.metadata_id)
        .where(and_(StatisticsMeta.site_id == site_id, StatisticsMeta.statistic_id == statistic_id))
        .where(table.c.start_ts >= start, table.c.start_ts < end)
        .order_by(table.c.start_ts)
    ).all()
    result = [StatisticRow(*row) for row in rows]
    return _by_day(result, time_zone) if period == "day" else result


def _by_day(rows: Iterable[StatisticRow], time_zone: str) -> list[StatisticRow]:
    zone = zoneinfo.ZoneInfo(time_zone)
    days: dict[dt.date, list[StatisticRow]] = defaultdict(list)
    for row in rows:
        days[dt.datetime.fromtimestamp(row.start, zone).date()].append(row)
    result = []
    for day, group in sorted(days.items()):
        start = dt.datetime.combine(day, dt.time(), zone).timestamp()
        combined = _combine(group)
        result.append(
            StatisticRow(
                start,
                combined["mean"],
                combined["min"],
                combined["max"],
                combined["state"],
                combined["sum"],
            )
        )
    return result
