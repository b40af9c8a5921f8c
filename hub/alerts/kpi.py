"""Alarm-system KPIs (ISA-18.2 / EEMUA 191) computed from occurrence records.

Every activation opens an occurrence, so one occurrence counts as one alarm. Periods are
aligned to the start of the analysed range (pass a UTC midnight to get calendar days); the
last period may be shorter. Times are float seconds since the Unix epoch (UTC).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final

from hub.alerts.occurrence import Occurrence
from hub.alerts.severity import Severity
from hub.alerts.shelving import peak_count

TEN_MINUTES: Final = 600.0
DAY: Final = 86400.0


@dataclass(frozen=True, slots=True)
class KpiSettings:
    """Thresholds of the KPIs; the defaults are the ISA-18.2 / EEMUA 191 figures.

    A flood starts in a 10-minute period with more than ``flood_start`` alarms and ends at the
    first period with fewer than ``flood_end``.
    """

    flood_start: int = 10
    flood_end: int = 5
    chatter_count: int = 3
    chatter_window: float = 60.0
    fleeting_under: float = 5.0
    stale_after: float = DAY
    top: int = 10


@dataclass(frozen=True, slots=True)
class Rates:
    """Alarm counts per 10-minute period and per day, with averages and the peak."""

    per_10min: tuple[int, ...]
    per_day: tuple[int, ...]
    average_per_10min: float
    average_per_day: float
    peak_10min: int


@dataclass(frozen=True, slots=True)
class FloodPeriod:
    """A flood: from ``start`` to ``end`` with ``alarms`` alarms in it."""

    start: float
    end: float
    alarms: int


@dataclass(frozen=True, slots=True)
class AlertCount:
    """How often one alert (for one source) occurred, and its share of all alarms in %."""

    alert_id: str
    source: str
    count: int
    share: float


@dataclass(frozen=True, slots=True)
class KpiReport:
    """All KPIs for one range."""

    start: float
    end: float
    total: int
    rates: Rates
    floods: tuple[FloodPeriod, ...]
    percent_time_in_flood: float
    chattering: tuple[AlertCount, ...]
    fleeting: tuple[str, ...]
    stale: tuple[str, ...]
    bad_actors: tuple[AlertCount, ...]
    bad_actor_share: float
    priority: dict[str, int]
    priority_percent: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON types."""
        return asdict(self)


def _check_range(start: float, end: float) -> None:
    if end <= start:
        raise ValueError("the KPI range must end after it starts")


def in_range(records: Iterable[Occurrence], start: float, end: float) -> list[Occurrence]:
    """The occurrences that started in ``[start, end)``, oldest first."""
    return sorted((o for o in records if start <= o.start_ts < end), key=lambda o: o.start_ts)


def _bucket_counts(
    records: Sequence[Occurrence], start: float, end: float, size: float
) -> list[int]:
    counts = [0] * max(1, math.ceil((end - start) / size))
    for occ in records:
        counts[int((occ.start_ts - start) // size)] += 1
    return counts


def rates(records: Sequence[Occurrence], start: float, end: float) -> Rates:
    """Alarms per 10-minute period and per day over ``[start, end)``."""
    _check_range(start, end)
    chosen = in_range(records, start, end)
    per_10 = _bucket_counts(chosen, start, end, TEN_MINUTES)
    per_day = _bucket_counts(chosen, start, end, DAY)
    span = end - start
    return Rates(
        tuple(per_10),
        tuple(per_day),
        len(chosen) * TEN_MINUTES / span,
        len(chosen) * DAY / span,
        max(per_10),
    )


def floods(
    records: Sequence[Occurrence], start: float, end: float, settings: KpiSettings | None = None
) -> tuple[FloodPeriod, ...]:
    """Flood periods over ``[start, end)``, judged per 10-minute period."""
    _check_range(start, end)
    settings = settings or KpiSettings()
    counts = _bucket_counts(in_range(records, start, end), start, end, TEN_MINUTES)
    found: list[FloodPeriod] = []
    flood_start: float | None = None
    alarms = 0
    for index, count in enumerate(counts):
        period_start = start + index * TEN_MINUTES
        if flood_start is None and count > settings.flood_start:
            flood_start, alarms = period_start, 0
        elif flood_start is not None and count < settings.flood_end:
            found.append(FloodPeriod(flood_start, period_start, alarms))
            flood_start = None
        if flood_start is not None:
            alarms += count
    if flood_start is not None:
        found.append(FloodPeriod(flood_start, end, alarms))
    return tuple(found)


def percent_time_in_flood(periods: Iterable[FloodPeriod], start: float, end: float) -> float:
    """Share of ``[start, end)`` spent in flood, in %."""
    _check_range(start, end)
    return 100.0 * sum(p.end - p.start for p in periods) / (end - start)


def _by_alert(records: Iterable[Occurrence]) -> dict[tuple[str, str], list[Occurrence]]:
    groups: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
    for occ in records:
        groups[(occ.alert_id, occ.source)].append(occ)
    return groups


def chattering(
    records: Iterable[Occurrence], settings: KpiSettings | None = None
) -> tuple[AlertCount, ...]:
    """Alerts with at least ``chatter_count`` activations within ``chatter_window`` seconds.

    ``count`` is the peak number of activations in one window, ``share`` its share of that
    alert's activations.
    """
    settings = settings or KpiSettings()
    found = []
    for (alert_id, source), group in sorted(_by_alert(records).items()):
        peak = peak_count((o.start_ts for o in group), settings.chatter_window)
        if peak >= settings.chatter_count:
            found.append(AlertCount(alert_id, source, peak, 100.0 * peak / len(group)))
    return tuple(found)


def fleeting(records: Iterable[Occurrence], settings: KpiSettings | None = None) -> tuple[str, ...]:
    """Ids of occurrences active for less than ``fleeting_under`` seconds, unacknowledged
    while active."""
    settings = settings or KpiSettings()
    return tuple(
        o.id
        for o in records
        if o.clear_ts is not None
        and o.clear_ts - o.start_ts < settings.fleeting_under
        and (o.ack_ts is None or o.ack_ts >= o.clear_ts)
    )


def stale(
    records: Iterable[Occurrence], now: float, settings: KpiSettings | None = None
) -> tuple[str, ...]:
    """Ids of occurrences active continuously for more than ``stale_after`` seconds."""
    settings = settings or KpiSettings()
    return tuple(o.id for o in records if o.active_duration(now) > settings.stale_after)


def bad_actors(records: Sequence[Occurrence], top: int = 10) -> tuple[AlertCount, ...]:
    """The ``top`` most frequent alerts, most frequent first (ties by alert id, source)."""
    counts = Counter((o.alert_id, o.source) for o in records)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    total = len(records)
    return tuple(AlertCount(a, s, n, 100.0 * n / total) for (a, s), n in ranked)


def priority_distribution(records: Sequence[Occurrence]) -> tuple[dict[str, int], dict[str, float]]:
    """Counts and percentages per severity, most urgent first; every severity is present."""
    counts = Counter(o.severity for o in records)
    ordered = sorted(Severity, reverse=True)
    total = len(records)
    numbers = {s.value: counts.get(s, 0) for s in ordered}
    percent = {s.value: (100.0 * counts.get(s, 0) / total if total else 0.0) for s in ordered}
    return numbers, percent


def compute(
    records: Iterable[Occurrence],
    start: float,
    end: float,
    now: float | None = None,
    settings: KpiSettings | None = None,
) -> KpiReport:
    """Every KPI for the occurrences that started in ``[start, end)``; stale is judged at
    ``now`` (default ``end``)."""
    _check_range(start, end)
    settings = settings or KpiSettings()
    chosen = in_range(records, start, end)
    flood_periods = floods(chosen, start, end, settings)
    actors = bad_actors(chosen, settings.top)
    numbers, percent = priority_distribution(chosen)
    return KpiReport(
        start=start,
        end=end,
        total=len(chosen),
        rates=rates(chosen, start, end),
        floods=flood_periods,
        percent_time_in_flood=percent_time_in_flood(flood_periods, start, end),
        chattering=chattering(chosen, settings),
        fleeting=fleeting(chosen, settings),
        stale=stale(chosen, end if now is None else now, settings),
        bad_actors=actors,
        bad_actor_share=sum(a.share for a in actors),
        priority=numbers,
        priority_percent=percent,
    )
