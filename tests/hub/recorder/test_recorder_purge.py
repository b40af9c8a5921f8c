"""Retention per entity pattern, orphan clean-up, repack, the service and the schedule."""

from __future__ import annotations

import asyncio

from recorder_helpers import T0, StartRecorder
from sqlalchemy import func, select

from hub.core.clock import ManualClock
from hub.recorder.schema import (
    EventData,
    Events,
    EventTypes,
    StateAttributes,
    States,
    StatesMeta,
)

DAY = 86_400.0


async def _count(recorder, model) -> int:  # type: ignore[no-untyped-def]
    return int(
        await recorder.run_query(lambda conn: conn.scalar(select(func.count()).select_from(model)))
    )


async def test_purge_keeps_each_entitys_days_and_removes_orphans(
    start_recorder: StartRecorder,
) -> None:
    clock = ManualClock(T0 + 30 * DAY)
    hub, recorder = await start_recorder(
        {"keep_days": 10, "retention": [{"entity_globs": ["sensor.*_raw"], "keep_days": 2}]},
        clock=clock,
    )
    for day in (20, 5, 1):
        stamp = T0 + (30 - day) * DAY
        hub.states.set("sensor.level", str(day), {"day": day}, timestamp=stamp)
        hub.states.set("sensor.level_raw", str(day), {"raw_day": day}, timestamp=stamp)
        hub.bus.fire("button_pressed", {"day": day}, time_fired=stamp)
    recorder.record_state_at("sensor.gone", "1", {"only": "old"}, T0)
    await recorder.flush()
    assert await _count(recorder, States) == 7

    result = await hub.services.call("recorder", "purge", {"repack": True}, return_response=True)
    assert result is not None
    assert result["states"] == 4
    assert result["repacked"] is True
    remaining = await recorder.run_query(
        lambda conn: sorted(
            conn.execute(
                select(StatesMeta.entity_id, States.state).join(
                    StatesMeta, StatesMeta.metadata_id == States.metadata_id
                )
            ).all()
        )
    )
    assert [tuple(row) for row in remaining] == [
        ("sensor.level", "1"),
        ("sensor.level", "5"),
        ("sensor.level_raw", "1"),
    ]
    assert await _count(recorder, StateAttributes) == 3
    assert await _count(recorder, StatesMeta) == 2
    payloads = await recorder.run_query(
        lambda conn: sorted(conn.scalars(select(EventData.shared_data)))
    )
    assert [p for p in payloads if p.startswith('{"day"')] == ['{"day":1}', '{"day":5}']
    button_events = await recorder.run_query(
        lambda conn: conn.scalar(
            select(func.count())
            .select_from(Events)
            .join(EventTypes, EventTypes.event_type_id == Events.event_type_id)
            .where(EventTypes.event_type == "button_pressed")
        )
    )
    assert button_events == 2

    hub.states.set("sensor.level", "new", timestamp=clock.time())
    await recorder.flush()
    assert await _count(recorder, States) == 4


async def test_service_keep_days_overrides_the_default(start_recorder: StartRecorder) -> None:
    clock = ManualClock(T0 + 10 * DAY)
    hub, recorder = await start_recorder(clock=clock)
    hub.states.set("sensor.level", "old", timestamp=T0 + 7 * DAY)
    hub.states.set("sensor.level", "new", timestamp=T0 + 10 * DAY)
    await recorder.flush()
    await hub.services.call("recorder", "purge", {"keep_days": 1})
    assert await _count(recorder, States) == 1


async def test_nightly_purge_runs_from_the_clock(start_recorder: StartRecorder) -> None:
    clock = ManualClock(T0 + 20 * DAY)  # midnight UTC; the purge is due at 04:12
    hub, recorder = await start_recorder({"keep_days": 1}, clock=clock)
    hub.states.set("sensor.level", "old", timestamp=T0)
    await recorder.flush()
    clock.advance(4 * 3600 + 11 * 60)
    await recorder.flush()
    assert await _count(recorder, States) == 1
    clock.advance(60)
    for _ in range(200):
        if await _count(recorder, States) == 0:
            break
        await asyncio.sleep(0.01)
    assert await _count(recorder, States) == 0
