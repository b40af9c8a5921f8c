"""Recording states and events through the writer thread, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import MappingProxyType

import pytest
from recorder_helpers import T0, StartRecorder
from sqlalchemy import func, select

from hub.core.context import Context
from hub.core.state import State
from hub.recorder.backlog import KIND_STATE, Item
from hub.recorder.history import HistoryQuery, get_history
from hub.recorder.schema import Events, EventTypes, StateAttributes, States, StatesMeta
from hub.recorder.writer import Writer

_NO_ATTRS = MappingProxyType({})


async def test_states_are_recorded_with_deduplicated_attributes(
    start_recorder: StartRecorder,
) -> None:
    hub, recorder = await start_recorder()
    attrs = {"unit_of_measurement": "cm", "friendly_name": "Tank level"}
    for second in range(5):
        hub.states.set("sensor.tank_level", str(100 + second), attrs, timestamp=T0 + second)
    hub.states.set("switch.pump", "on", {"friendly_name": "Pump"}, timestamp=T0 + 2)
    await recorder.flush()

    def counts(conn):  # type: ignore[no-untyped-def]
        return (
            conn.scalar(select(func.count()).select_from(States)),
            conn.scalar(select(func.count()).select_from(StateAttributes)),
            conn.scalar(select(func.count()).select_from(StatesMeta)),
        )

    assert await recorder.run_query(counts) == (6, 2, 2)
    history = await recorder.run_query(
        lambda conn: get_history(
            conn, HistoryQuery("default", T0, T0 + 10, entity_ids=["sensor.tank_level"])
        )
    )
    assert [item["state"] for item in history[0]] == ["100", "101", "102", "103", "104"]
    assert history[0][0]["attributes"] == attrs
    assert history[0][0]["last_updated"] == "2026-01-01T00:00:00+00:00"


async def test_unchanged_reports_move_last_reported_without_new_rows(
    start_recorder: StartRecorder,
) -> None:
    hub, recorder = await start_recorder()
    hub.states.set("sensor.flow", "5", timestamp=T0)
    await recorder.flush()
    hub.states.set("sensor.flow", "5", timestamp=T0 + 30)
    hub.states.set("sensor.flow", "5", timestamp=T0 + 60)
    await recorder.flush()
    rows = await recorder.run_query(
        lambda conn: conn.execute(select(States.last_updated_ts, States.last_reported_ts)).all()
    )
    assert [tuple(row) for row in rows] == [(T0, T0 + 60)]


async def test_events_are_recorded_but_excluded_types_are_not(
    start_recorder: StartRecorder,
) -> None:
    hub, recorder = await start_recorder({"exclude": {"event_types": ["noisy_event"]}})
    context = Context(user_id="01JGFJJZ000000000000000000")
    hub.bus.fire("button_pressed", {"button": "red"}, context)
    hub.bus.fire("button_pressed", {"button": "red"})
    hub.bus.fire("noisy_event", {"n": 1})
    await recorder.flush()
    rows = await recorder.run_query(
        lambda conn: conn.execute(
            select(EventTypes.event_type, Events.data_id, Events.context_user_id_bin).join(
                EventTypes, EventTypes.event_type_id == Events.event_type_id
            )
        ).all()
    )
    recorded = [row for row in rows if row.event_type in ("button_pressed", "noisy_event")]
    assert [row.event_type for row in recorded] == ["button_pressed", "button_pressed"]
    assert recorded[0].data_id == recorded[1].data_id
    assert recorded[0].context_user_id_bin is not None


async def test_include_and_exclude_filters_choose_entities(start_recorder: StartRecorder) -> None:
    hub, recorder = await start_recorder(
        {
            "include": {"domains": ["sensor"], "entities": ["switch.pump"]},
            "exclude": {"entity_globs": ["sensor.*_debug"]},
        }
    )
    for entity_id in ("sensor.level", "sensor.level_debug", "switch.pump", "switch.valve"):
        hub.states.set(entity_id, "1", timestamp=T0)
    await recorder.flush()
    names = await recorder.run_query(
        lambda conn: sorted(conn.scalars(select(StatesMeta.entity_id)))
    )
    assert names == ["sensor.level", "switch.pump"]


async def test_late_reading_lands_in_history_without_touching_live_state(
    start_recorder: StartRecorder,
) -> None:
    hub, recorder = await start_recorder()
    hub.states.set("sensor.tank_level", "50", timestamp=T0 + 100)
    recorder.record_state_at("sensor.tank_level", "42", {"replayed": True}, T0 + 50)
    await recorder.flush()
    assert hub.states.get("sensor.tank_level").state == "50"  # type: ignore[union-attr]
    history = await recorder.run_query(
        lambda conn: get_history(
            conn,
            HistoryQuery("default", T0, T0 + 200, ["sensor.tank_level"], minimal_response=True),
        )
    )
    assert [(item["state"], item["last_changed"]) for item in history[0]] == [
        ("42", "2026-01-01T00:00:50+00:00"),
        ("50", "2026-01-01T00:01:40+00:00"),
    ]
    origins = await recorder.run_query(lambda conn: sorted(conn.scalars(select(States.origin_idx))))
    assert origins == [0, 1]


async def test_clean_stop_flushes_everything(start_recorder: StartRecorder) -> None:
    hub, recorder = await start_recorder({"commit_interval": 3600})
    for index in range(1000):
        hub.states.set("sensor.counter", str(index), timestamp=T0 + index)
    await hub.stop()

    def count() -> int | None:
        try:
            with recorder.engine.connect() as conn:
                return conn.scalar(select(func.count()).select_from(States))
        finally:
            recorder.engine.dispose()

    assert await asyncio.to_thread(count) == 1000


def _queue(writer: Writer, count: int, start: int = 0) -> None:
    for index in range(start, start + count):
        when = dt.datetime.fromtimestamp(T0 + index, dt.UTC)
        state = State("sensor.flow", str(index), _NO_ATTRS, when, when, when, Context())
        writer.backlog.put((KIND_STATE, "sensor.flow", state))


@pytest.mark.parametrize(
    ("queued", "arriving", "commits", "left"),
    [
        (10, [3], [10], 3),  # the few that came during the commit wait for the next round
        (15, [3, 3], [10, 8], 3),  # what was queued goes in whole batches, with what came
        (10, [12, 0], [10, 10], 2),  # a whole batch came meanwhile: it goes at once
    ],
)
def test_a_round_commits_what_was_queued_and_more_only_while_a_batch_waits(
    small_writer: Writer,
    monkeypatch: pytest.MonkeyPatch,
    queued: int,
    arriving: list[int],
    commits: list[int],
    left: int,
) -> None:
    writer = small_writer
    _queue(writer, queued)
    sizes: list[int] = []
    commit = writer._commit

    def commit_while_more_arrive(items: list[Item]) -> bool:
        _queue(writer, arriving[len(sizes)], 1_000 * (len(sizes) + 1))  # readings keep coming
        sizes.append(len(items))
        return commit(items)

    monkeypatch.setattr(writer, "_commit", commit_while_more_arrive)
    writer.write_pending()
    assert sizes == commits
    assert len(writer.backlog) == left
    assert writer.counters.states_written == sum(commits)


def test_a_round_after_a_failed_commit_still_takes_everything_queued(
    small_writer: Writer,
) -> None:
    writer = small_writer
    _queue(writer, 8)
    writer._retry = writer.backlog.take(10)  # a commit of these failed and waits for retry
    _queue(writer, 3, 100)  # then a flush is asked for: these were queued before it
    writer.write_pending()
    assert len(writer.backlog) == 0
    assert writer.counters.states_written == 11


def test_a_queued_batch_wakes_the_writer_before_its_interval(small_writer: Writer) -> None:
    _queue(small_writer, 10)
    assert not small_writer._wake.is_set()
    _queue(small_writer, 1, 10)
    assert small_writer._wake.is_set()
