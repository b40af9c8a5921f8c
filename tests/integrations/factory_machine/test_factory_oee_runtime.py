"""OEE from ingested data against hand-worked examples (see docs/factory.md).

Machine: ideal cycle 60 s, readings every minute, max gap 5 min, 16-bit counters.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import PRESS, FactoryEnv, StartFactory

from integrations.factory_machine import PARTS


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


def machine(shifts: list[dict[str, Any]]) -> dict[str, Any]:
    return {**PRESS, "schedule": {"shifts": shifts}}


EARLY = {"name": "early", "start": "06:00", "end": "14:00"}
NIGHT = {"name": "night", "start": "22:00", "end": "06:00"}


def config(**machines: dict[str, Any]) -> dict[str, Any]:
    return {
        "ingest": {"max_clock_skew": 1e9, "burst": 100_000, "max_batch": 5000},
        "sites": {"north": {"areas": {"press": {"machines": machines}}}},
    }


async def push(env: FactoryEnv, machine_id: str, readings: list[dict[str, Any]]) -> None:
    token = await env.key(machine_id)
    result = await env.ingest(token, {"readings": readings})
    assert result.status == 200 and not result.data["refused"], result.data


async def oee(env: FactoryEnv, machine_id: str, period: str, day: str) -> list[dict[str, Any]]:
    result = await env.client.request(
        "GET", f"/api/factory/machines/{machine_id}/oee?period={period}&date={day}"
    )
    assert result.status == 200, result.data
    return list(result.data["results"])


async def test_worked_example_with_counter_rollover(start_factory: StartFactory) -> None:
    """480 min planned, 420 run, 400 parts, 20 rejects; the part counter wraps at 65536."""
    env = await start_factory(config(p1=machine([EARLY])))
    start = ms("2025-06-02T06:00:00")
    readings = []
    for minute in range(480):
        running = minute < 420
        values: dict[str, Any] = {
            "run_state": "running" if running else "down",
            "total": (65_300 + min(minute, 420) * 400 // 420) % 65_536,
            "rejects": min(minute, 420) * 20 // 420,
        }
        if not running:
            values["reason"] = 180_000
        readings.append({"ts": start + minute * 60_000, "values": values})
    await push(env, "north/press/p1", readings)
    assert env.runtime.trackers["north/press/p1"].rollovers == 1
    [shift] = await oee(env, "north/press/p1", "shift", "2025-06-02")
    assert shift["planned_minutes"] == 480
    assert shift["run_minutes"] == 420
    assert (shift["total_count"], shift["reject_count"]) == (400, 20)
    assert shift["availability"] == pytest.approx(0.875)
    assert shift["performance"] == pytest.approx(400 / 420, abs=1e-4)
    assert shift["quality"] == pytest.approx(0.95)
    assert shift["oee"] == pytest.approx(380 / 480, abs=1e-4)
    assert shift["downtime_reasons"][0]["code"] == 180_000
    assert shift["data_completeness"] == 1.0


async def test_night_shift_across_midnight_with_a_gap(start_factory: StartFactory) -> None:
    """22:00-06:00 running, no data 01:00-01:30: 30 min unknown, counted as a stop."""
    env = await start_factory(config(p1=machine([EARLY, NIGHT])))
    start = ms("2025-06-01T22:00:00")
    minutes = [m for m in range(481) if not 180 < m < 210]
    readings = [
        {"ts": start + m * 60_000, "values": {"run_state": "running", "total": index}}
        for index, m in enumerate(minutes)
    ]
    await push(env, "north/press/p1", readings)
    shifts = await oee(env, "north/press/p1", "shift", "2025-06-01")
    night = next(s for s in shifts if s["period"]["label"].endswith("night"))
    assert night["period"]["start"] == "2025-06-01T22:00:00+00:00"
    assert night["period"]["end"] == "2025-06-02T06:00:00+00:00"
    assert night["unknown_minutes"] == 30
    assert night["run_minutes"] == 450
    assert night["availability"] == pytest.approx(450 / 480)
    assert night["performance"] == pytest.approx(1.0)
    assert night["oee"] == pytest.approx(450 / 480)
    assert night["data_completeness"] == pytest.approx(450 / 480)
    assert "incomplete_data" in night["flags"]
    [day] = await oee(env, "north/press/p1", "day", "2025-06-02")
    assert day["run_minutes"] == 360 - 30
    assert day["total_count"] == 332  # parts counted 00:00 to 06:00 inclusive
    assert day["shift_minutes"] == 360 + 480 + 120


async def test_rollup_sums_times_not_averages(start_factory: StartFactory) -> None:
    """Fast: 480 min, 480 parts (OEE 1). Slow: 240 min, 120 parts (OEE 0.5). Site: 600/720."""
    short = {"name": "early", "start": "06:00", "end": "10:00"}
    env = await start_factory(config(fast=machine([EARLY]), slow=machine([short])))
    start = ms("2025-06-02T06:00:00")
    fast = [
        {"ts": start + m * 60_000, "values": {"run_state": "running", "total": m}}
        for m in range(481)
    ]
    slow = [
        {"ts": start + m * 60_000, "values": {"run_state": "running", "total": m // 2}}
        for m in range(241)
    ]
    await push(env, "north/press/fast", fast)
    await push(env, "north/press/slow", slow)
    result = await env.client.request(
        "GET", "/api/factory/oee/rollup?site=north&from=2025-06-02&to=2025-06-02"
    )
    assert result.status == 200
    by_machine = {m["scope"]: m for m in result.data["machines"]}
    assert by_machine["north/press/fast"]["oee"] == pytest.approx(1.0)
    assert by_machine["north/press/slow"]["oee"] == pytest.approx(0.5)
    assert result.data["rollup"]["oee"] == pytest.approx(600 / 720, abs=1e-4)
    assert result.data["rollup"]["oee"] != pytest.approx(0.75, abs=1e-3)


async def test_live_sensors_follow_the_current_shift(start_factory: StartFactory) -> None:
    """Clock at 12:00 on 2025-06-03; the early shift so far: 360 min, 300 running."""
    env = await start_factory(config(p1=machine([EARLY])))
    start = ms("2025-06-03T06:00:00")
    readings = [
        {
            "ts": start + m * 60_000,
            "values": {
                "run_state": "running" if m < 300 else "down",
                "total": min(m, 300),
                "temperature": 66.0,
            },
        }
        for m in range(360)
    ]
    await push(env, "north/press/p1", readings)
    oee_runtime = env.hub.data[PARTS][0]
    await oee_runtime.refresh()
    states = env.hub.states
    assert states.get("sensor.north_press_p1_availability_shift").state == str(
        round(300 / 360 * 100, 1)
    )
    assert states.get("sensor.north_press_p1_performance_shift").state == "100.0"
    assert states.get("sensor.north_press_p1_oee_day").state == str(round(300 / 360 * 100, 1))
    assert states.get("sensor.north_press_p1_temperature_deviation").state == "10.0"
    assert states.get("binary_sensor.north_press_p1_online").state == "on"
    assert float(states.get("sensor.north_press_p1_health").state) > 50
    assert float(states.get("sensor.north_press_p1_uptime_day").state) == pytest.approx(
        50.0, abs=0.1
    )
    env.hub.clock.advance(3600)  # type: ignore[attr-defined]
    await oee_runtime.refresh()
    assert states.get("binary_sensor.north_press_p1_online").state == "off"
