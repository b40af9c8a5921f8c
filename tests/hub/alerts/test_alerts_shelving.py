"""Shelve validation, expiry and chatter auto-protection."""

from __future__ import annotations

import json

import pytest
from alerts_clock import Clock

from hub.alerts.model import AlertState, Label, ShelveTimed, apply
from hub.alerts.shelving import (
    DEFAULT_MAX_SHELVE,
    SYSTEM_ACTOR,
    AutoShelve,
    ChatterHistory,
    ChatterPolicy,
    ShelveError,
    ShelveKind,
    Shelving,
    oneshot_shelve,
    peak_count,
    timed_shelve,
)


def test_timed_shelve_up_to_the_maximum_is_accepted(clock: Clock) -> None:
    shelving = timed_shelve(clock.now, DEFAULT_MAX_SHELVE, " pump swap ", "alice", 8 * 3600)
    assert shelving == Shelving(
        ShelveKind.TIMED, clock.now, clock.now + 8 * 3600, "pump swap", "alice"
    )
    assert not shelving.expired(clock.advance(8 * 3600 - 1))
    assert shelving.expired(clock.advance(1))


@pytest.mark.parametrize(
    ("duration", "reason", "message"),
    [
        (8 * 3600 + 1, "x", "shelve duration 28801 s exceeds the maximum of 8 h"),
        (0, "x", "shelve duration must be positive"),
        (60, "", "a reason is required"),
    ],
)
def test_timed_shelve_refusals(duration: float, reason: str, message: str) -> None:
    with pytest.raises(ShelveError, match=message):
        timed_shelve(0.0, duration, reason, None, DEFAULT_MAX_SHELVE)


def test_oneshot_shelve_is_bounded_by_the_maximum(clock: Clock) -> None:
    shelving = oneshot_shelve(clock.now, "tank out of use", "bob", 3600)
    assert (shelving.kind, shelving.until) == (ShelveKind.ONESHOT, clock.now + 3600)
    with pytest.raises(ShelveError, match="a reason is required"):
        oneshot_shelve(clock.now, "   ", "bob", 3600)


def test_shelving_round_trips_through_json(clock: Clock) -> None:
    shelving = timed_shelve(clock.now, 600, "x", "u", DEFAULT_MAX_SHELVE)
    assert Shelving.from_dict(json.loads(json.dumps(shelving.to_dict()))) == shelving


def test_peak_count_counts_within_the_window() -> None:
    assert peak_count([], 60) == 0
    assert peak_count([0, 30, 60, 61, 200], 60) == 3
    assert peak_count([0, 61, 122], 60) == 1


def test_third_activation_within_a_minute_auto_shelves(clock: Clock) -> None:
    policy = ChatterPolicy(auto_shelve_for=600.0)
    history = ChatterHistory()
    history, shelve = history.record(clock.now, policy)
    assert shelve is None
    history, shelve = history.record(clock.advance(20), policy)
    assert shelve is None
    history, shelve = history.record(clock.advance(30), policy)
    assert shelve == AutoShelve(600.0, "chattering: 3 activations within 1 min")
    assert history == ChatterHistory()


def test_activations_spread_out_do_not_count_as_chatter(clock: Clock) -> None:
    policy = ChatterPolicy(auto_shelve_for=600.0)
    history = ChatterHistory()
    results = []
    for _ in range(5):
        history, shelve = history.record(clock.advance(31), policy)
        results.append(shelve)
    assert results == [None] * 5
    assert history.activations == (clock.now - 31, clock.now)


def test_detection_without_auto_shelve_only_reports(clock: Clock) -> None:
    policy = ChatterPolicy()
    history = ChatterHistory()
    for _ in range(3):
        history, shelve = history.record(clock.advance(10), policy)
        assert shelve is None
    assert history.chattering(clock.now, policy)
    assert not history.chattering(clock.advance(60), policy)
    restored = ChatterHistory.from_dict(json.loads(json.dumps(history.to_dict())))
    assert restored == history


def test_auto_shelve_applies_through_the_model_with_a_system_reason(clock: Clock) -> None:
    policy = ChatterPolicy(auto_shelve_for=900.0)
    history = ChatterHistory()
    shelve = None
    for _ in range(3):
        history, shelve = history.record(clock.advance(5), policy)
    assert shelve is not None
    event = ShelveTimed(duration=shelve.duration, reason=shelve.reason, actor=SYSTEM_ACTOR)
    state = apply(AlertState(), event, clock.now).new_state
    assert state.label is Label.SHELVED
    assert (state.shelving.actor, state.shelving.until) == (SYSTEM_ACTOR, clock.now + 900.0)
    assert state.shelving.reason == "chattering: 3 activations within 1 min"
