"""Reports: JSON figures match the data; CSV and PDF carry the same figures; scheduling."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from conftest import PRESS, FactoryEnv, StartFactory
from pypdf import PdfReader

from integrations.factory_machine import PARTS

EARLY = {"name": "early", "start": "06:00", "end": "14:00", "weekdays": ["mon", "tue", "wed"]}


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


async def week_of_data(env: FactoryEnv) -> None:
    """Mon and Tue 2025-05-26/27: 420 of 480 min running, 400 parts, 20 rejects per day."""
    token = await env.key("north/press/p1")
    for day in ("2025-05-26", "2025-05-27"):
        start = ms(f"{day}T06:00:00")
        readings: list[dict[str, Any]] = []
        for minute in range(481):  # the 14:00 reading closes the shift
            readings.append(
                {
                    "ts": start + minute * 60_000,
                    "values": {
                        "run_state": "running" if minute < 420 else "down",
                        "total": min(minute, 420) * 400 // 420,
                        "rejects": min(minute, 420) * 20 // 420,
                        "temperature": 90.0 if minute < 3 else 60.0,
                    },
                }
            )
        result = await env.ingest(token, {"readings": readings})
        assert result.status == 200 and result.data["accepted"] == 481
    # the counter resets to 0 on the second day: a reset, never a negative count


def config() -> dict[str, Any]:
    return {
        "ingest": {"max_clock_skew": 1e9},
        "reports": {"schedule": "weekly", "email_target": "ops", "formats": ["pdf", "csv"]},
        "sites": {
            "north": {
                "areas": {"press": {"machines": {"p1": {**PRESS, "schedule": {"shifts": [EARLY]}}}}}
            }
        },
    }


async def test_weekly_report_json_csv_pdf(start_factory: StartFactory) -> None:
    env = await start_factory(config())
    await week_of_data(env)
    url = "/api/factory/reports/weekly?site=north&from=2025-05-26&to=2025-06-01"
    result = await env.client.request("GET", url)
    assert result.status == 200, result.data
    kpis = result.data["kpis"]
    # Mon-Wed shifts: 3 x 480 planned; Wednesday has no data (480 unknown minutes)
    assert kpis["planned_min"] == 1440 and kpis["run_min"] == 840
    assert (kpis["total_count"], kpis["reject_count"]) == (800, 40)
    assert kpis["oee_pct"] == pytest.approx(round(760 / 1440 * 100, 1))
    assert kpis["completeness_pct"] == pytest.approx(round(960 / 1440 * 100, 1))
    [machine] = result.data["machines"]
    assert machine["breaches"] == 6
    assert [d["oee_pct"] for d in result.data["trend"][:3]] == [79.2, 79.2, 0.0]
    assert result.data["compliance"][0]["pass"] is False

    csv_result = await env.client.request("GET", url + "&format=csv")
    assert csv_result.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_result.data)))
    header = rows[rows.index(["# kpis"]) + 1]
    values = rows[rows.index(["# kpis"]) + 2]
    assert dict(zip(header, values, strict=True))["oee_pct"] == str(kpis["oee_pct"])

    async with env.client.session.get(
        env.client.url(url + "&format=pdf"), headers=env.client.headers("admin")
    ) as response:
        assert response.status == 200
        pdf = await response.read()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "weekly report: north" in text
    assert str(kpis["oee_pct"]) in text and "79.2" in text and "800" in text


async def test_scheduled_report_is_saved_and_announced(start_factory: StartFactory) -> None:
    env = await start_factory(config())
    await week_of_data(env)
    sent: list[dict[str, Any]] = []

    async def fake_notify(call: Any) -> None:
        sent.append(dict(call.data))

    env.hub.services.register("notify", "ops", fake_notify, None)
    scheduler = env.hub.data[PARTS][2]
    paths = await scheduler.run_site("north", today=date(2025, 6, 2))
    assert sorted(p.suffix for p in paths) == [".csv", ".pdf"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    [message] = sent
    assert "OEE 52.8 %" in message["message"] and str(paths[0]) in message["message"]
