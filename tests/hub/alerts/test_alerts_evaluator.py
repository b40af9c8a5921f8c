"""Condition evaluation: thresholds with deadband, state and boolean inputs, delays, restarts."""

from __future__ import annotations

import json

import pytest
from alerts_clock import Clock

from hub.alerts.evaluator import (
    BooleanCondition,
    Evaluator,
    EvaluatorConfig,
    Limit,
    LimitKind,
    StateCondition,
    ThresholdCondition,
)

HIGH_90_DB_4 = ThresholdCondition.from_values(h=90.0, deadband=4.0)


def feed(evaluator: Evaluator, clock: Clock, values: list[float], step: float = 1.0) -> int:
    """Feed ``values`` one per ``step`` seconds; return the number of activations."""
    activations = 0
    for value in values:
        result = evaluator.update(value, clock.advance(step))
        activations += result.changed and result.active
    return activations


def test_oscillation_within_deadband_activates_once(clock: Clock) -> None:
    evaluator = Evaluator(EvaluatorConfig(HIGH_90_DB_4))
    values = [85.0] + [92.0, 88.0] * 20  # ±deadband/2 around the limit
    assert feed(evaluator, clock, values) == 1
    assert evaluator.state.active


def test_without_deadband_the_same_oscillation_chatters(clock: Clock) -> None:
    evaluator = Evaluator(EvaluatorConfig(ThresholdCondition.from_values(h=90.0)))
    assert feed(evaluator, clock, [92.0, 88.0] * 5) == 5


def test_deadband_applies_only_on_the_way_back(clock: Clock) -> None:
    evaluator = Evaluator(EvaluatorConfig(HIGH_90_DB_4))
    assert not evaluator.update(89.9, clock.advance(1)).active
    assert evaluator.update(90.0, clock.advance(1)).active  # trips at x >= H
    assert evaluator.update(86.0, clock.advance(1)).active  # still within the deadband
    result = evaluator.update(85.9, clock.advance(1))  # clears at x < H - deadband
    assert (result.active, result.changed) == (False, True)


def test_low_limits_and_levels(clock: Clock) -> None:
    condition = ThresholdCondition.from_values(
        hh=95.0, h=90.0, l=10.0, ll=5.0, deadband={"l": 2.0, "ll": 1.0}
    )
    evaluator = Evaluator(EvaluatorConfig(condition))
    assert evaluator.update(50.0, clock.advance(1)).level is None
    assert evaluator.update(9.0, clock.advance(1)).level is LimitKind.L
    assert evaluator.update(4.0, clock.advance(1)).level is LimitKind.LL
    assert evaluator.update(5.5, clock.advance(1)).level is LimitKind.LL  # ll + 1 deadband
    assert evaluator.update(6.5, clock.advance(1)).level is LimitKind.L
    assert evaluator.update(11.0, clock.advance(1)).level is LimitKind.L  # l + 2 deadband
    result = evaluator.update(12.5, clock.advance(1))
    assert (result.active, result.changed, result.level) == (False, True, None)
    assert evaluator.update(96.0, clock.advance(1)).level is LimitKind.HH


def test_two_second_spike_with_five_second_delay_on_never_fires(clock: Clock) -> None:
    evaluator = Evaluator(EvaluatorConfig(HIGH_90_DB_4, delay_on=5.0))
    values = [80.0, 95.0, 95.0, 80.0, 80.0, 80.0, 80.0, 80.0, 80.0, 80.0]
    assert feed(evaluator, clock, values) == 0
    assert evaluator.deadline is None


def test_delay_on_fires_at_the_deadline_by_tick(clock: Clock) -> None:
    evaluator = Evaluator(EvaluatorConfig(HIGH_90_DB_4, delay_on=5.0))
    start = clock.now
    result = evaluator.update(95.0, start)
    assert (result.active, result.deadline) == (False, start + 5.0)
    assert not evaluator.tick(clock.advance(4.9)).active
    fired = evaluator.tick(clock.advance(0.1))
    assert (fired.active, fired.changed) == (True, True)
    assert not evaluator.tick(clock.advance(10)).changed


def test_delay_off_holds_the_alert(clock: Clock) -> None:
    evaluator = Evaluator(EvaluatorConfig(HIGH_90_DB_4, delay_off=10.0))
    assert evaluator.update(95.0, clock.now).active
    assert evaluator.update(80.0, clock.advance(1)).active
    assert evaluator.update(80.0, clock.advance(9.9)).active
    assert evaluator.update(80.0, clock.advance(0.1)).active is False


def test_brief_return_inside_delay_off_does_not_clear(clock: Clock) -> None:
    evaluator = Evaluator(EvaluatorConfig(HIGH_90_DB_4, delay_off=10.0))
    evaluator.update(95.0, clock.now)
    evaluator.update(80.0, clock.advance(1))
    evaluator.update(95.0, clock.advance(5))
    result = evaluator.tick(clock.advance(30))
    assert (result.active, result.changed) == (True, False)


def test_restored_evaluator_fires_at_the_original_deadline(clock: Clock) -> None:
    config = EvaluatorConfig(HIGH_90_DB_4, delay_on=600.0)
    original = Evaluator(config)
    start = clock.now
    original.update(95.0, start)
    saved = json.dumps(original.to_dict())

    clock.advance(300)  # the hub restarts half way through the delay
    restored = Evaluator.from_dict(config, json.loads(saved))
    assert restored.deadline == start + 600.0
    assert not restored.update(95.0, clock.advance(200)).active  # a sample does not reset it
    assert not restored.tick(start + 599.0).active
    fired = restored.tick(start + 600.0)
    assert (fired.active, fired.changed) == (True, True)
    assert not restored.tick(start + 601.0).changed
    assert not restored.update(96.0, start + 602.0).changed


def test_unreadable_samples_hold_the_condition(clock: Clock) -> None:
    evaluator = Evaluator(EvaluatorConfig(HIGH_90_DB_4))
    assert evaluator.update(95.0, clock.advance(1)).active
    for value in ("unavailable", "unknown", None, float("nan")):
        result = evaluator.update(value, clock.advance(1))
        assert (result.active, result.changed) == (True, False)
    assert evaluator.update("80", clock.advance(1)).active is False  # numeric strings parse


def test_state_condition_matches_ha_state_key(clock: Clock) -> None:
    evaluator = Evaluator(EvaluatorConfig(StateCondition(("open", "opening"))))
    assert evaluator.update("open", clock.advance(1)).active
    assert evaluator.update("opening", clock.advance(1)).active
    assert not evaluator.update("closed", clock.advance(1)).active


@pytest.mark.parametrize(
    ("value", "active"),
    [(True, True), (False, False), ("True", True), ("off", False), (1, True), (0, False)],
)
def test_boolean_condition_reads_template_results(value: bool | str | int, active: bool) -> None:
    evaluator = Evaluator(EvaluatorConfig(BooleanCondition()))
    assert evaluator.update(value, 0.0).active is active


def test_limits_are_validated() -> None:
    with pytest.raises(ValueError, match="ordered ll <= l <= h <= hh"):
        ThresholdCondition.from_values(h=10.0, l=20.0)
    with pytest.raises(ValueError, match="only once"):
        ThresholdCondition((Limit(LimitKind.H, 1.0), Limit(LimitKind.H, 2.0)))
    with pytest.raises(ValueError, match="at least one limit"):
        ThresholdCondition(())
    with pytest.raises(ValueError, match="must not be negative"):
        EvaluatorConfig(HIGH_90_DB_4, delay_on=-1.0)
