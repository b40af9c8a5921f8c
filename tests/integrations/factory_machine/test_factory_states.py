"""State-code table, loss policy and state timelines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from integrations.factory_machine.states import (
    UNKNOWN_CODE,
    LossCategory,
    LossClass,
    LossPolicy,
    StateInterval,
    StateSample,
    build_timeline,
    code_for_run_state,
    describe,
    intervals_from_samples,
    state_class,
)

T0 = datetime(2024, 6, 3, 6, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("code", "name", "loss_class", "category"),
    [
        (10_000, "producing_full_speed", LossClass.PRODUCING, LossCategory.PRODUCING),
        (20_005, "producing_reduced_speed", LossClass.PRODUCING, LossCategory.PRODUCING),
        (30_000, "unknown", LossClass.UNKNOWN, LossCategory.UNKNOWN),
        (40_000, "unspecified_stop", LossClass.AVAILABILITY, LossCategory.BREAKDOWN),
        (40_100, "idle", LossClass.PERFORMANCE, LossCategory.MINOR_STOP),
        (40_150, "unspecified_stop", LossClass.AVAILABILITY, LossCategory.BREAKDOWN),
        (40_200, "operator_interaction", LossClass.AVAILABILITY, LossCategory.BREAKDOWN),
        (40_300, "unspecified_stop", LossClass.AVAILABILITY, LossCategory.BREAKDOWN),
        (50_000, "microstop", LossClass.PERFORMANCE, LossCategory.MINOR_STOP),
        (60_000, "inlet_jam", LossClass.PERFORMANCE, LossCategory.MINOR_STOP),
        (70_000, "outlet_jam", LossClass.PERFORMANCE, LossCategory.MINOR_STOP),
        (100_100, "changeover_preparation", LossClass.AVAILABILITY, LossCategory.SETUP),
        (100_900, "changeover", LossClass.AVAILABILITY, LossCategory.SETUP),
        (160_000, "no_shift", LossClass.EXCLUDED, LossCategory.PLANNED),
        (170_000, "no_order", LossClass.EXCLUDED, LossCategory.PLANNED),
        (180_123, "equipment_failure", LossClass.AVAILABILITY, LossCategory.BREAKDOWN),
        (210_000, "preventive_maintenance", LossClass.EXCLUDED, LossCategory.PLANNED),
        (990_000, "unlisted_990000", LossClass.AVAILABILITY, LossCategory.BREAKDOWN),
    ],
)
def test_factory_code_table_and_subcode_inheritance(
    code: int, name: str, loss_class: LossClass, category: LossCategory
) -> None:
    row = describe(code)
    assert (row.code, row.name, row.loss_class, row.category) == (code, name, loss_class, category)


def test_factory_state_class_refuses_negative_codes() -> None:
    assert state_class(180_123) == 180_000
    with pytest.raises(ValueError, match="negative"):
        state_class(-1)


def test_factory_policy_exact_code_beats_class_beats_table() -> None:
    policy = LossPolicy(
        availability=frozenset({50_000}),
        performance=frozenset({50_100}),
        excluded=frozenset({170_000}),
    )
    assert policy.classify(50_000) is LossClass.AVAILABILITY
    assert policy.classify(50_200) is LossClass.AVAILABILITY
    assert policy.classify(50_100) is LossClass.PERFORMANCE
    assert policy.classify(170_000) is LossClass.EXCLUDED
    assert policy.classify(40_100) is LossClass.PERFORMANCE
    assert policy.classify(10_000) is LossClass.PRODUCING


def test_factory_policy_no_order_can_become_a_loss() -> None:
    policy = LossPolicy(availability=frozenset({170_000}))
    assert policy.classify(170_000) is LossClass.AVAILABILITY


def test_factory_policy_unknown_resolution() -> None:
    assert LossPolicy().counted_class(UNKNOWN_CODE) is LossClass.AVAILABILITY
    excluded = LossPolicy(unknown_as=LossClass.EXCLUDED)
    assert excluded.counted_class(30_500) is LossClass.EXCLUDED
    assert excluded.classify(30_500) is LossClass.UNKNOWN


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"availability": frozenset({50_000}), "performance": frozenset({50_000})}, "two"),
        ({"excluded": frozenset({10_000})}, "producing"),
        ({"unknown_as": LossClass.PERFORMANCE}, "unknown_as"),
    ],
)
def test_factory_policy_refuses_contradictions(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LossPolicy(**kwargs)  # type: ignore[arg-type]


def test_factory_run_state_words_and_reasons() -> None:
    assert code_for_run_state("Running") == 10_000
    assert code_for_run_state("idle") == 40_100
    assert code_for_run_state("down") == 40_000
    assert code_for_run_state("down", 180_000) == 180_000
    with pytest.raises(ValueError, match="unknown run state"):
        code_for_run_state("sleeping")


def test_factory_interval_refuses_naive_and_reversed_times() -> None:
    with pytest.raises(ValueError, match="aware"):
        StateInterval(datetime(2024, 1, 1), datetime(2024, 1, 2), 10_000)
    with pytest.raises(ValueError, match="before"):
        StateInterval(at(10), at(5), 10_000)


def test_factory_timeline_fills_short_gaps_and_marks_long_ones_unknown() -> None:
    intervals = [
        StateInterval(at(0), at(60), 10_000),
        StateInterval(at(62), at(100), 180_000),
        StateInterval(at(130), at(200), 10_000),
    ]
    timeline = build_timeline(intervals, at(-10), at(210), timedelta(minutes=5))
    assert [(p.start, p.end, p.code) for p in timeline] == [
        (at(-10), at(0), UNKNOWN_CODE),
        (at(0), at(62), 10_000),
        (at(62), at(100), 180_000),
        (at(100), at(130), UNKNOWN_CODE),
        (at(130), at(200), 10_000),
        (at(200), at(210), UNKNOWN_CODE),
    ]


def test_factory_timeline_clips_and_later_start_wins_on_overlap() -> None:
    intervals = [
        StateInterval(at(-30), at(50), 10_000),
        StateInterval(at(40), at(70), 50_000),
        StateInterval(at(70), at(200), 10_000),
    ]
    timeline = build_timeline(intervals, at(0), at(100), timedelta(minutes=5))
    assert [(p.start, p.end, p.code) for p in timeline] == [
        (at(0), at(40), 10_000),
        (at(40), at(70), 50_000),
        (at(70), at(100), 10_000),
    ]
    assert sum((p.duration for p in timeline), timedelta()) == timedelta(minutes=100)


def test_factory_samples_hold_until_next_sample_unless_the_gap_is_long() -> None:
    samples = [StateSample(at(m), 10_000) for m in range(0, 11)]
    samples += [StateSample(at(40), 10_000), StateSample(at(41), 50_000)]
    samples.append(StateSample(at(41), 50_000))
    intervals = intervals_from_samples(samples, timedelta(minutes=5), at(45))
    timeline = build_timeline(intervals, at(0), at(45), timedelta(minutes=5))
    assert [(p.start, p.end, p.code) for p in timeline] == [
        (at(0), at(10), 10_000),
        (at(10), at(40), UNKNOWN_CODE),
        (at(40), at(41), 10_000),
        (at(41), at(45), 50_000),
    ]


def test_factory_empty_window_has_no_timeline() -> None:
    assert build_timeline([], at(0), at(0), timedelta(minutes=5)) == []
    only_unknown = build_timeline([], at(0), at(1), timedelta(minutes=5))
    assert [(p.start, p.end, p.code) for p in only_unknown] == [(at(0), at(1), UNKNOWN_CODE)]
