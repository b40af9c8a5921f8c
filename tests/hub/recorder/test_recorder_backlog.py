"""The back-pressure policy: never block, never lose the newest value, always resume."""

from __future__ import annotations

import asyncio
import threading

from recorder_helpers import T0, StartRecorder
from sqlalchemy import select

from hub.recorder.backlog import KIND_EVENT, KIND_LATE, KIND_REPORTED, KIND_STATE, Backlog
from hub.recorder.history import HistoryQuery, get_history
from hub.recorder.recorder import BACKLOG_NOTICE
from hub.recorder.schema import StatesMeta


def test_queue_keeps_order_below_the_limit() -> None:
    backlog = Backlog(max_items=10)
    for index in range(5):
        assert backlog.put((KIND_STATE, "sensor.a", index)) is False
    assert [item[2] for item in backlog.take(100)] == [0, 1, 2, 3, 4]
    assert backlog.take(100) == []


def test_overflow_coalesces_states_per_entity_and_counts() -> None:
    backlog = Backlog(max_items=100)
    for index in range(100):
        backlog.put((KIND_STATE, "sensor.a", index))
    assert backlog.put((KIND_STATE, "sensor.a", 100)) is True
    for index in range(101, 110):
        backlog.put((KIND_STATE, "sensor.a", index))
    backlog.put((KIND_STATE, "sensor.b", "b1"))
    backlog.put((KIND_REPORTED, "sensor.b", "b1-reported"))
    backlog.put((KIND_LATE, "sensor.c", "late1"))
    backlog.put((KIND_LATE, "sensor.c", "late2"))
    assert backlog.overflowing
    assert backlog.counters.states_coalesced == 9
    assert backlog.counters.overflow_episodes == 1
    assert len(backlog.take(1000)) == 100
    overflow = backlog.take(1000)
    assert sorted(overflow, key=repr) == sorted(
        [
            (KIND_STATE, "sensor.a", 109),
            (KIND_STATE, "sensor.b", "b1-reported"),
            (KIND_LATE, "sensor.c", "late1"),
            (KIND_LATE, "sensor.c", "late2"),
        ],
        key=repr,
    )
    assert not backlog.overflowing
    assert backlog.put((KIND_STATE, "sensor.a", 200)) is False
    assert backlog.take(10) == [(KIND_STATE, "sensor.a", 200)]


def test_overflow_keeps_a_tenth_of_the_limit_in_events_then_counts_drops() -> None:
    backlog = Backlog(max_items=100)
    for index in range(100):
        backlog.put((KIND_STATE, f"sensor.s{index}", index))
    for index in range(15):
        backlog.put((KIND_EVENT, "button_pressed", index))
    assert backlog.counters.events_dropped == 5
    backlog.take(1000)
    assert [item[2] for item in backlog.take(1000)] == list(range(10))


def test_notifies_once_when_a_batch_is_queued_and_again_after_each_take() -> None:
    backlog = Backlog(max_items=100)
    calls: list[int] = []
    backlog.notify_at(10, lambda: calls.append(len(backlog)))
    for index in range(25):
        backlog.put((KIND_STATE, "sensor.a", index))
    assert calls == [11]  # the first put that finds ten waiting
    assert len(backlog.take(5)) == 5  # twenty left: still a batch, so the next put notifies
    backlog.put((KIND_STATE, "sensor.a", 25))
    assert calls == [11, 21]
    backlog.take(100)
    for index in range(9):
        backlog.put((KIND_STATE, "sensor.a", index))
    assert calls == [11, 21]
    assert not backlog.overflowing


def test_notice_comes_at_half_the_limit_when_a_batch_would_not_fit() -> None:
    backlog = Backlog(max_items=8)
    calls: list[int] = []
    backlog.notify_at(1_000, lambda: calls.append(len(backlog)))
    for index in range(8):
        backlog.put((KIND_STATE, f"sensor.s{index}", index))
    assert calls == [5]
    assert backlog.put((KIND_STATE, "sensor.s0", 8)) is True
    assert [item[2] for item in backlog.take(100)] == list(range(8))
    assert [item[2] for item in backlog.take(100)] == [8]
    backlog.put((KIND_STATE, "sensor.s0", 9))
    assert backlog.take(100) == [(KIND_STATE, "sensor.s0", 9)]


async def test_a_stalled_database_coalesces_then_recording_resumes(
    start_recorder: StartRecorder,
) -> None:
    hub, recorder = await start_recorder({"max_backlog": 100})
    release = threading.Event()
    stalled = recorder.writer.submit(lambda _writer: release.wait(30))
    hub.states.set("sensor.before", "0", timestamp=T0)
    for index in range(300):
        hub.states.set(f"sensor.s{index % 3}", str(index), timestamp=T0 + 1 + index)
    stats = recorder.stats()
    assert stats["overflowing"] is True
    assert stats["states_coalesced"] > 0
    release.set()
    assert await asyncio.wrap_future(stalled) is True
    await recorder.flush()
    for _ in range(200):  # the notice is written by a task of its own
        if hub.notices.get(BACKLOG_NOTICE) is not None:
            break
        await asyncio.sleep(0.01)
    assert hub.notices.get(BACKLOG_NOTICE) is not None
    hub.states.set("sensor.after", "1", timestamp=T0 + 1000)
    await recorder.flush()
    history = await recorder.run_query(
        lambda conn: get_history(
            conn, HistoryQuery("default", T0, T0 + 2000, minimal_response=True)
        )
    )
    last = {items[0]["entity_id"]: items[-1]["state"] for items in history}
    assert last == {
        "sensor.before": "0",
        "sensor.s0": "297",
        "sensor.s1": "298",
        "sensor.s2": "299",
        "sensor.after": "1",
    }
    names = await recorder.run_query(lambda conn: set(conn.scalars(select(StatesMeta.entity_id))))
    assert "sensor.after" in names
    assert recorder.stats()["overflowing"] is False
