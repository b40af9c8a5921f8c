"""Alert model behaviour beyond the transition table."""

from __future__ import annotations

import json
import re

import pytest
from alerts_clock import Clock

from hub.alerts.model import (
    EVENT_TYPES,
    Acknowledge,
    Activate,
    AlertPolicy,
    AlertState,
    Clear,
    Effect,
    EffectKind,
    IllegalTransition,
    Label,
    Realarm,
    Reset,
    ShelveExpired,
    ShelveOneShot,
    ShelveTimed,
    Unshelve,
    apply,
    event_from_dict,
    next_deadline,
    realarm_due,
)
from hub.alerts.shelving import ShelveError, ShelveKind


def test_ack_after_return_to_normal_goes_to_normal_and_closes(clock: Clock) -> None:
    b = apply(AlertState(), Activate(occurrence_id="o1"), clock.now).new_state
    d = apply(b, Clear(), clock.advance(5)).new_state
    assert d.label is Label.RTN_UNACKNOWLEDGED
    result = apply(d, Acknowledge(actor="alice"), clock.advance(5))
    assert result.new_state == AlertState()
    assert result.effects == (Effect(EffectKind.OCCURRENCE_CLOSED, "o1", "acknowledged"),)


def test_each_activation_after_return_gets_a_new_uuid(clock: Clock) -> None:
    first = apply(AlertState(), Activate(), clock.now).new_state
    back = apply(apply(first, Clear(), clock.advance(1)).new_state, Acknowledge(), clock.now)
    second = apply(back.new_state, Activate(), clock.advance(1)).new_state
    assert first.occurrence_id is not None and second.occurrence_id is not None
    assert first.occurrence_id != second.occurrence_id
    assert re.fullmatch(r"[0-9a-f]{32}", second.occurrence_id)


def test_acknowledge_refused_when_policy_forbids(clock: Clock) -> None:
    b = apply(AlertState(), Activate(), clock.now).new_state
    with pytest.raises(IllegalTransition, match="This alert cannot be acknowledged"):
        apply(b, Acknowledge(), clock.now, AlertPolicy(can_acknowledge=False))


def test_refusals_explain_themselves(clock: Clock) -> None:
    with pytest.raises(IllegalTransition, match="nothing to acknowledge"):
        apply(AlertState(), Acknowledge(), clock.now)
    with pytest.raises(IllegalTransition, match="only a latched alert"):
        apply(AlertState(), Reset(), clock.now)
    with pytest.raises(IllegalTransition, match="not shelved"):
        apply(AlertState(), Unshelve(), clock.now)
    with pytest.raises(IllegalTransition, match="not active"):
        apply(AlertState(), Clear(), clock.now)


def test_latched_alert_needs_reset_after_return(clock: Clock) -> None:
    policy = AlertPolicy(latching=True)
    b = apply(AlertState(), Activate(occurrence_id="o1"), clock.now, policy).new_state
    c = apply(b, Acknowledge(), clock.advance(1), policy).new_state
    cleared = apply(c, Clear(), clock.advance(1), policy)
    assert cleared.new_state.label is Label.LATCHED
    assert cleared.effects == ()
    assert cleared.new_state.occurrence_id == "o1"
    reset = apply(cleared.new_state, Reset(actor="bob"), clock.advance(1), policy)
    assert reset.new_state.label is Label.NORMAL
    assert reset.effects == (Effect(EffectKind.OCCURRENCE_CLOSED, "o1", "reset"),)


def test_latched_unacknowledged_can_be_acknowledged_then_reset(clock: Clock) -> None:
    policy = AlertPolicy(latching=True)
    b = apply(AlertState(), Activate(), clock.now, policy).new_state
    e = apply(b, Clear(), clock.advance(1), policy).new_state
    assert (e.label, e.acknowledged) == (Label.LATCHED, False)
    acked = apply(e, Acknowledge(), clock.advance(1), policy).new_state
    assert (acked.label, acked.acknowledged) == (Label.LATCHED, True)
    assert apply(acked, Reset(), clock.advance(1), policy).new_state == AlertState()


def test_realarm_returns_to_unacknowledged_and_respects_limit(clock: Clock) -> None:
    policy = AlertPolicy(realarm_after=600.0, realarm_limit=1)
    b = apply(AlertState(), Activate(occurrence_id="o1"), clock.now, policy).new_state
    c = apply(b, Acknowledge(), clock.advance(60), policy).new_state
    assert realarm_due(c, policy) == clock.now - 60 + 600.0
    with pytest.raises(IllegalTransition, match="not due for another 540 s"):
        apply(c, Realarm(), clock.now, policy)
    result = apply(c, Realarm(), clock.advance(540), policy)
    assert result.new_state.label is Label.UNACKNOWLEDGED
    assert result.new_state.realarm_count == 1
    assert result.has(EffectKind.ANNUNCIATE)
    again = apply(result.new_state, Acknowledge(), clock.advance(1), policy).new_state
    assert realarm_due(again, policy) is None
    with pytest.raises(IllegalTransition, match="limit of 1 is reached"):
        apply(again, Realarm(), clock.advance(3600), policy)


def test_realarm_refused_when_not_configured(clock: Clock) -> None:
    b = apply(AlertState(), Activate(), clock.now).new_state
    with pytest.raises(IllegalTransition, match="realarm_after is not configured"):
        apply(b, Realarm(), clock.advance(3600))


def test_shelved_activation_is_recorded_but_not_annunciated(clock: Clock) -> None:
    shelved = apply(
        AlertState(), ShelveTimed(duration=600, reason="calibration", actor="u"), clock.now
    ).new_state
    result = apply(shelved, Activate(occurrence_id="o1"), clock.advance(10))
    assert [e.kind for e in result.effects] == [EffectKind.OCCURRENCE_OPENED]
    assert result.new_state.label is Label.SHELVED
    expired = apply(result.new_state, ShelveExpired(), clock.advance(590))
    assert expired.new_state.label is Label.UNACKNOWLEDGED
    assert expired.effects == (
        Effect(EffectKind.SHELVE_ENDED, "o1", "expired"),
        Effect(EffectKind.ANNUNCIATE, "o1", "resumed"),
    )


def test_shelve_cannot_expire_early(clock: Clock) -> None:
    shelved = apply(AlertState(), ShelveTimed(duration=600, reason="x"), clock.now).new_state
    with pytest.raises(IllegalTransition, match="no shelve has reached its end"):
        apply(shelved, ShelveExpired(), clock.advance(599))


def test_oneshot_shelve_ends_when_the_alert_clears(clock: Clock) -> None:
    b = apply(AlertState(), Activate(occurrence_id="o1"), clock.now).new_state
    shelved = apply(b, ShelveOneShot(reason="tank out of use"), clock.advance(1)).new_state
    assert shelved.shelving.kind is ShelveKind.ONESHOT
    result = apply(shelved, Clear(), clock.advance(100))
    assert result.new_state.label is Label.RTN_UNACKNOWLEDGED
    assert result.effects == (Effect(EffectKind.SHELVE_ENDED, "o1", "cleared"),)


def test_timed_shelve_validation_errors(clock: Clock) -> None:
    with pytest.raises(ShelveError, match="exceeds the maximum of 8 h"):
        apply(AlertState(), ShelveTimed(duration=9 * 3600, reason="night"), clock.now)
    with pytest.raises(ShelveError, match="a reason is required"):
        apply(AlertState(), ShelveTimed(duration=60, reason="  "), clock.now)
    policy = AlertPolicy(max_shelve=1800)
    with pytest.raises(ShelveError, match="exceeds the maximum of 30 min"):
        apply(AlertState(), ShelveTimed(duration=3600, reason="x"), clock.now, policy)


def test_next_deadline_is_the_earliest_timer(clock: Clock) -> None:
    policy = AlertPolicy(realarm_after=900.0)
    b = apply(AlertState(), Activate(), clock.now, policy).new_state
    assert next_deadline(b, policy) == clock.now + 900.0
    shelved = apply(b, ShelveTimed(duration=300, reason="x"), clock.now, policy).new_state
    assert next_deadline(shelved, policy) == clock.now + 300.0
    assert next_deadline(AlertState(), policy) is None


def test_state_round_trips_through_json(clock: Clock) -> None:
    state = apply(AlertState(), Activate(occurrence_id="o1"), clock.now).new_state
    state = apply(state, ShelveTimed(duration=60, reason="x", actor="u"), clock.now).new_state
    restored = AlertState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert restored == state


@pytest.mark.parametrize("cls", list(EVENT_TYPES.values()), ids=list(EVENT_TYPES))
def test_events_round_trip_through_json(cls: type) -> None:
    event = cls(duration=60.0, reason="r") if cls is ShelveTimed else cls(actor="u", reason="r")
    assert event_from_dict(json.loads(json.dumps(event.to_dict()))) == event


def test_unknown_event_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown alert event kind 'explode'"):
        event_from_dict({"kind": "explode"})
