"""Alarm KPIs against small fixtures with hand-computed expected values."""

from __future__ import annotations

import json

import pytest

from hub.alerts import kpi
from hub.alerts.kpi import AlertCount, FloodPeriod, KpiSettings
from hub.alerts.occurrence import Occurrence
from hub.alerts.severity import Severity

S = 1_700_000_000.0  # start of every analysed range
HOUR = 3600.0
DAY = 86400.0


def occ(
    oid: str,
    start: float,
    *,
    alert: str = "alert",
    clear: float | None = None,
    ack: float | None = None,
    severity: Severity = Severity.WARNING,
) -> Occurrence:
    """An occurrence starting ``start`` seconds after ``S`` (clear/ack likewise relative)."""
    return Occurrence(
        id=oid,
        alert_id=alert,
        source="sensor.x",
        severity=severity,
        start_ts=S + start,
        end_ts=S + start,
        clear_ts=None if clear is None else S + clear,
        ack_ts=None if ack is None else S + ack,
    )


def burst(counts: list[int]) -> list[Occurrence]:
    """``counts[i]`` occurrences in the i-th 10-minute period, one per second from its start."""
    return [
        occ(f"p{i}-{k}", i * 600.0 + k, alert=f"a{k}")
        for i, n in enumerate(counts)
        for k in range(n)
    ]


def test_rates_per_10_minutes_and_per_day() -> None:
    records = [occ(str(t), t) for t in (0, 100, 599, 600, 3599, 3600, -1)]
    rates = kpi.rates(records, S, S + HOUR)
    assert rates.per_10min == (3, 1, 0, 0, 0, 1)
    assert rates.per_day == (5,)
    assert rates.average_per_10min == pytest.approx(5 * 600 / 3600)
    assert rates.average_per_day == pytest.approx(120.0)
    assert rates.peak_10min == 3


def test_rates_over_two_days() -> None:
    records = [occ(str(t), t) for t in (0, 10, DAY - 1, DAY)]
    rates = kpi.rates(records, S, S + 2 * DAY)
    assert rates.per_day == (3, 1)
    assert rates.average_per_day == pytest.approx(2.0)
    assert len(rates.per_10min) == 288


def test_flood_starts_above_ten_and_ends_below_five() -> None:
    end = S + 7 * 600
    periods = kpi.floods(burst([11, 6, 5, 4, 12, 3, 0]), S, end)
    assert periods == (
        FloodPeriod(S, S + 1800, 22),
        FloodPeriod(S + 2400, S + 3000, 12),
    )
    assert kpi.percent_time_in_flood(periods, S, end) == pytest.approx(100 * 2400 / 4200)


def test_ten_in_ten_minutes_is_not_a_flood_and_an_open_flood_ends_with_the_range() -> None:
    assert kpi.floods(burst([10, 10, 10]), S, S + 1800) == ()
    assert kpi.floods(burst([0, 15, 5]), S, S + 1800) == (FloodPeriod(S + 600, S + 1800, 20),)


def test_chattering_alerts() -> None:
    records = [
        *(occ(f"a{t}", t, alert="a") for t in (0, 20, 50, 200)),
        *(occ(f"b{t}", t, alert="b") for t in (0, 61, 122)),
        *(occ(f"c{t}", t, alert="c") for t in (0, 30, 60, 90)),
    ]
    assert kpi.chattering(records) == (
        AlertCount("a", "sensor.x", 3, 75.0),
        AlertCount("c", "sensor.x", 3, 75.0),
    )


def test_fleeting_alerts() -> None:
    records = [
        occ("f1", 0, clear=2),
        occ("f2", 0, clear=4.9, ack=10),
        occ("f3", 0, clear=3, ack=1),
        occ("f4", 0, clear=5),
        occ("f5", 0),
    ]
    assert kpi.fleeting(records) == ("f1", "f2")
    assert kpi.fleeting(records, KpiSettings(fleeting_under=6)) == ("f1", "f2", "f4")


def test_stale_alerts() -> None:
    records = [
        occ("s1", 0, clear=DAY + 1),
        occ("s2", 0, clear=DAY),
        occ("s3", DAY - 1),
        occ("s4", 100_000),
    ]
    assert kpi.stale(records, now=S + 2 * DAY) == ("s1", "s3")


def test_top_ten_bad_actors() -> None:
    counts = {"k01": 10, "k02": 8, "k03": 8} | {f"k{i:02d}": 1 for i in range(4, 13)}
    records = [
        occ(f"{alert}-{n}", n, alert=alert) for alert, total in counts.items() for n in range(total)
    ]
    actors = kpi.bad_actors(records)
    assert [(a.alert_id, a.count) for a in actors] == [
        ("k01", 10),
        ("k02", 8),
        ("k03", 8),
        *((f"k{i:02d}", 1) for i in range(4, 11)),
    ]
    assert actors[0].share == pytest.approx(100 * 10 / 35)
    report = kpi.compute(records, S, S + HOUR)
    assert report.bad_actor_share == pytest.approx(100 * 33 / 35)


def test_priority_distribution() -> None:
    severities = [Severity.INFO] * 8 + [Severity.WARNING] * 3 + [Severity.CRITICAL]
    records = [occ(str(i), i, severity=s) for i, s in enumerate(severities)]
    counts, percent = kpi.priority_distribution(records)
    assert counts == {"critical": 1, "warning": 3, "info": 8}
    assert list(counts) == ["critical", "warning", "info"]
    assert percent == pytest.approx({"critical": 100 / 12, "warning": 25.0, "info": 200 / 3})
    assert kpi.priority_distribution([]) == (
        {"critical": 0, "warning": 0, "info": 0},
        {"critical": 0.0, "warning": 0.0, "info": 0.0},
    )


def test_compute_combines_everything_and_serialises() -> None:
    records = [*burst([12, 2]), occ("fleet", 900, alert="z", clear=901)]
    report = kpi.compute(records, S, S + 1200)
    assert report.total == 15
    assert report.rates.per_10min == (12, 3)
    assert report.floods == (FloodPeriod(S, S + 600, 12),)
    assert report.percent_time_in_flood == pytest.approx(50.0)
    assert report.fleeting == ("fleet",)
    assert report.stale == ()
    assert [c.alert_id for c in report.chattering] == []
    assert report.priority == {"critical": 0, "warning": 15, "info": 0}
    data = json.loads(json.dumps(report.to_dict()))
    assert data["floods"] == [{"start": S, "end": S + 600, "alarms": 12}]


def test_empty_range_is_refused() -> None:
    with pytest.raises(ValueError, match="must end after it starts"):
        kpi.compute([], S, S)
    with pytest.raises(ValueError, match="must end after it starts"):
        kpi.rates([], S, S - 1)
