"""Home Assistant alert semantics of the repeat scheduler."""

from __future__ import annotations

import json

import pytest
from alerts_clock import Clock

from hub.alerts.model import IllegalTransition
from hub.alerts.repeat import AlertEntityState, RepeatConfig, RepeatScheduler


def run(scheduler: RepeatScheduler, clock: Clock, ticks: int) -> list[tuple[float, bool]]:
    """Tick at each due time; return (seconds since start, sent) per tick."""
    start = clock.now
    out = []
    for _ in range(ticks):
        due = scheduler.next_due
        assert due is not None
        clock.now = due
        out.append((due - start, scheduler.tick(due)))
    return out


def test_walks_the_list_and_keeps_the_last_interval(clock: Clock) -> None:
    scheduler = RepeatScheduler(RepeatConfig.from_repeat([1, 5, 10]))
    assert scheduler.begin(clock.now)
    assert scheduler.entity_state is AlertEntityState.ON
    assert run(scheduler, clock, 4) == [(60, True), (360, True), (960, True), (1560, True)]
    assert scheduler.state.sent == 5


def test_single_number_repeats_forever(clock: Clock) -> None:
    scheduler = RepeatScheduler(RepeatConfig.from_repeat(30))
    scheduler.begin(clock.now)
    assert run(scheduler, clock, 3) == [(1800, True), (3600, True), (5400, True)]


def test_skip_first_waits_one_interval(clock: Clock) -> None:
    scheduler = RepeatScheduler(RepeatConfig.from_repeat([2, 4], skip_first=True))
    assert not scheduler.begin(clock.now)
    assert run(scheduler, clock, 2) == [(120, True), (360, True)]


def test_acknowledged_keeps_the_timer_but_sends_nothing(clock: Clock) -> None:
    scheduler = RepeatScheduler(RepeatConfig.from_repeat([1, 5]))
    scheduler.begin(clock.now)
    scheduler.acknowledge()
    seen = [scheduler.entity_state]
    assert run(scheduler, clock, 2) == [(60, False), (360, False)]
    scheduler.unacknowledge()
    seen.append(scheduler.entity_state)
    assert run(scheduler, clock, 1) == [(300, True)]
    assert seen == [AlertEntityState.OFF, AlertEntityState.ON]


def test_tick_before_due_does_nothing(clock: Clock) -> None:
    scheduler = RepeatScheduler(RepeatConfig.from_repeat(1))
    scheduler.begin(clock.now)
    before = scheduler.state
    assert not scheduler.tick(clock.advance(59))
    assert scheduler.state == before


def test_done_message_only_after_a_notification(clock: Clock) -> None:
    quiet = RepeatScheduler(RepeatConfig.from_repeat(5, skip_first=True))
    quiet.begin(clock.now)
    assert not quiet.end()
    assert quiet.entity_state is AlertEntityState.IDLE
    assert quiet.next_due is None

    loud = RepeatScheduler(RepeatConfig.from_repeat(5))
    loud.begin(clock.now)
    assert loud.end()
    assert not loud.end()


def test_muted_alerts_send_nothing_and_owe_no_done_message(clock: Clock) -> None:
    scheduler = RepeatScheduler(RepeatConfig.from_repeat(1))
    assert not scheduler.begin(clock.now, muted=True)
    assert not scheduler.tick(clock.advance(60), muted=True)
    assert scheduler.next_due == clock.now + 60
    assert not scheduler.end()


def test_cannot_acknowledge_when_forbidden(clock: Clock) -> None:
    scheduler = RepeatScheduler(RepeatConfig.from_repeat(1, can_acknowledge=False))
    scheduler.begin(clock.now)
    with pytest.raises(IllegalTransition, match="This alert cannot be acknowledged"):
        scheduler.acknowledge()
    with pytest.raises(IllegalTransition):
        scheduler.toggle()
    assert scheduler.entity_state is AlertEntityState.ON


def test_toggle_and_begin_resets_the_acknowledgement(clock: Clock) -> None:
    scheduler = RepeatScheduler(RepeatConfig.from_repeat(1))
    scheduler.begin(clock.now)
    scheduler.toggle()
    seen = [scheduler.entity_state]
    assert not scheduler.begin(clock.advance(1))  # already firing: no change
    seen.append(scheduler.entity_state)
    scheduler.end()
    scheduler.begin(clock.advance(1))
    seen.append(scheduler.entity_state)
    assert seen == [AlertEntityState.OFF, AlertEntityState.OFF, AlertEntityState.ON]


def test_restart_resumes_without_double_sending(clock: Clock) -> None:
    config = RepeatConfig.from_repeat([1, 5])
    scheduler = RepeatScheduler(config)
    scheduler.begin(clock.now)
    scheduler.acknowledge()
    restored = RepeatScheduler.from_dict(config, json.loads(json.dumps(scheduler.to_dict())))
    assert restored.entity_state is AlertEntityState.OFF  # acknowledgement survives
    assert restored.next_due == clock.now + 60
    restored.unacknowledge()
    assert restored.tick(clock.advance(60))
    assert not restored.tick(clock.now)
    assert restored.next_due == clock.now + 300


@pytest.mark.parametrize("repeat", [0.01, [5, 0], []])
def test_repeat_values_are_validated(repeat: float | list[float]) -> None:
    with pytest.raises(ValueError, match="repeat"):
        RepeatConfig.from_repeat(repeat)


def test_smallest_repeat_is_accepted() -> None:
    assert RepeatConfig.from_repeat(0.016).interval(7) == pytest.approx(0.96)
