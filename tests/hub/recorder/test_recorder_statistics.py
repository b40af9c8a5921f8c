"""Five-minute and hourly statistics: measurements and totals."""

from __future__ import annotations

import asyncio

import pytest
from recorder_helpers import T0, StartRecorder

from hub.core.clock import ManualClock
from hub.recorder.statistics import read_statistics, time_weighted

MEASUREMENT = {"state_class": "measurement", "unit_of_measurement": "°C"}
METER = {"state_class": "total_increasing", "unit_of_measurement": "kWh"}


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([(0.0, 10.0)], (10.0, 10.0, 10.0)),
        ([(-100.0, 10.0), (150.0, 20.0)], (15.0, 10.0, 20.0)),
        ([(0.0, 10.0), (100.0, None), (200.0, 40.0)], (25.0, 10.0, 40.0)),
        ([(0.0, None)], (None, None, None)),
        ([(0.0, 1.0), (300.0, 5.0)], (1.0, 1.0, 1.0)),
    ],
)
def test_time_weighted_mean_min_max(
    points: list[tuple[float, float | None]], expected: tuple[float | None, ...]
) -> None:
    assert time_weighted(points, 0.0, 300.0) == expected


async def test_measurements_and_totals_are_compiled(start_recorder: StartRecorder) -> None:
    clock = ManualClock(T0)
    hub, recorder = await start_recorder(clock=clock)
    hub.states.set("sensor.temp", "10", MEASUREMENT, timestamp=T0 - 10)
    hub.states.set("sensor.temp", "20", MEASUREMENT, timestamp=T0 + 150)
    hub.states.set("sensor.energy", "100", METER, timestamp=T0)
    hub.states.set("sensor.energy", "103", METER, timestamp=T0 + 100)
    hub.states.set("sensor.energy", "1", METER, timestamp=T0 + 200)  # meter reset
    hub.states.set("sensor.text", "hello", timestamp=T0)
    await recorder.flush()
    assert await recorder.compile_statistics(T0 + 1) == 1  # the period before T0
    for period in range(12):
        hub.states.set("sensor.energy", str(2 + period), METER, timestamp=T0 + 300 * (period + 1))
    assert await recorder.compile_statistics(T0 + 3600 + 1) == 12

    def read(statistic_id: str, period: str):  # type: ignore[no-untyped-def]
        return recorder.run_query(
            lambda conn: read_statistics(conn, "default", statistic_id, T0, T0 + 7200, period)
        )

    temp = await read("sensor.temp", "5minute")
    assert (temp[0].mean, temp[0].min, temp[0].max) == (15.0, 10.0, 20.0)
    assert [row.mean for row in temp[1:]] == [20.0] * 11
    energy = await read("sensor.energy", "5minute")
    assert (energy[0].state, energy[0].sum) == (1.0, 4.0)
    assert (energy[-1].state, energy[-1].sum) == (12.0, 15.0)
    hourly = await read("sensor.temp", "hour")
    assert len(hourly) == 1
    assert (hourly[0].min, hourly[0].max) == (10.0, 20.0)
    assert hourly[0].mean == pytest.approx((15.0 + 11 * 20.0) / 12)
    assert (await read("sensor.energy", "day"))[0].sum == 15.0
    assert await read("sensor.text", "5minute") == []
    assert await recorder.compile_statistics(T0 + 3600 + 2) == 0


async def test_statistics_compile_on_the_clock(start_recorder: StartRecorder) -> None:
    clock = ManualClock(T0)
    hub, recorder = await start_recorder(clock=clock)
    hub.states.set("sensor.temp", "10", MEASUREMENT, timestamp=T0 + 1)
    await recorder.flush()
    clock.advance(310)
    await recorder.flush()
    for _ in range(100):
        rows = await recorder.run_query(
            lambda conn: read_statistics(conn, "default", "sensor.temp", T0, T0 + 600, "5minute")
        )
        if rows:
            break
        await asyncio.sleep(0.01)
    assert [row.mean for row in rows] == [10.0]
