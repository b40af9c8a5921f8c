"""The complete (state, event) transition table of the alert model."""

from __future__ import annotations

import itertools

import pytest

from hub.alerts.model import (
    EVENT_TYPES,
    Acknowledge,
    Activate,
    AlertPolicy,
    AlertState,
    Clear,
    EffectKind,
    Event,
    IllegalTransition,
    Realarm,
    RemoveFromService,
    Reset,
    ReturnToService,
    ShelveExpired,
    ShelveOneShot,
    ShelveTimed,
    Suppress,
    Unshelve,
    Unsuppress,
    apply,
)
from hub.alerts.shelving import ShelveKind, Shelving

T0 = 1_700_000_000.0
NOW = T0 + 3600.0
POLICY = AlertPolicy(realarm_after=600.0)

_B = AlertState(
    active=True, acknowledged=False, occurrence_id="occ-1", active_since=T0, realarm_base=T0
)
STATES: dict[str, AlertState] = {
    "A": AlertState(),
    "B": _B,
    "C": AlertState(
        active=True, acknowledged=True, occurrence_id="occ-1", active_since=T0, realarm_base=T0
    ),
    "D": AlertState(active=False, acknowledged=False, occurrence_id="occ-1"),
    "E_unacked": AlertState(latched=True, acknowledged=False, occurrence_id="occ-1"),
    "E_acked": AlertState(latched=True, acknowledged=True, occurrence_id="occ-1"),
    "F": AlertState(
        active=True,
        acknowledged=False,
        occurrence_id="occ-1",
        active_since=T0,
        realarm_base=T0,
        shelving=Shelving(ShelveKind.TIMED, T0, NOW, "pump swap", "u1"),
    ),
    "G": AlertState(
        active=True,
        acknowledged=False,
        occurrence_id="occ-1",
        active_since=T0,
        realarm_base=T0,
        suppressed=True,
    ),
    "H": AlertState(
        active=True,
        acknowledged=False,
        occurrence_id="occ-1",
        active_since=T0,
        realarm_base=T0,
        out_of_service=True,
    ),
}

EVENTS: dict[str, Event] = {
    "activate": Activate(value=91.0, occurrence_id="occ-2"),
    "clear": Clear(value=80.0),
    "acknowledge": Acknowledge(actor="u1"),
    "shelve_timed": ShelveTimed(duration=600.0, reason="sensor fault", actor="u1"),
    "shelve_oneshot": ShelveOneShot(reason="tank out of use", actor="u1"),
    "unshelve": Unshelve(actor="u1"),
    "shelve_expired": ShelveExpired(actor="system"),
    "suppress": Suppress(reason="machine stopped"),
    "unsuppress": Unsuppress(),
    "out_of_service": RemoveFromService(reason="maintenance", actor="u1"),
    "in_service": ReturnToService(actor="u1"),
    "reset": Reset(actor="u1"),
    "realarm": Realarm(actor="system"),
}

# Expected "<label after>:<effects>" or None when refused. Effect letters: O opened,
# U updated, X closed, N annunciate, S shelve ended.
X = None
TABLE: dict[str, dict[str, str | None]] = {
    "A": {
        "activate": "B:ON", "clear": X, "acknowledge": X, "shelve_timed": "F:",
        "shelve_oneshot": "F:", "unshelve": X, "shelve_expired": X, "suppress": "G:",
        "unsuppress": X, "out_of_service": "H:", "in_service": X, "reset": X, "realarm": X,
    },
    "B": {
        "activate": "B:U", "clear": "D:", "acknowledge": "C:", "shelve_timed": "F:",
        "shelve_oneshot": "F:", "unshelve": X, "shelve_expired": X, "suppress": "G:",
        "unsuppress": X, "out_of_service": "H:", "in_service": X, "reset": X, "realarm": "B:UN",
    },
    "C": {
        "activate": "C:U", "clear": "A:X", "acknowledge": X, "shelve_timed": "F:",
        "shelve_oneshot": "F:", "unshelve": X, "shelve_expired": X, "suppress": "G:",
        "unsuppress": X, "out_of_service": "H:", "in_service": X, "reset": X, "realarm": "B:UN",
    },
    "D": {
        "activate": "B:XON", "clear": X, "acknowledge": "A:X", "shelve_timed": "F:",
        "shelve_oneshot": "F:", "unshelve": X, "shelve_expired": X, "suppress": "G:",
        "unsuppress": X, "out_of_service": "H:", "in_service": X, "reset": X, "realarm": X,
    },
    "E_unacked": {
        "activate": "B:XON", "clear": X, "acknowledge": "E:", "shelve_timed": "F:",
        "shelve_oneshot": "F:", "unshelve": X, "shelve_expired": X, "suppress": "G:",
        "unsuppress": X, "out_of_service": "H:", "in_service": X, "reset": "A:X", "realarm": X,
    },
    "E_acked": {
        "activate": "B:XON", "clear": X, "acknowledge": X, "shelve_timed": "F:",
        "shelve_oneshot": "F:", "unshelve": X, "shelve_expired": X, "suppress": "G:",
        "unsuppress": X, "out_of_service": "H:", "in_service": X, "reset": "A:X", "realarm": X,
    },
    "F": {
        "activate": "F:U", "clear": "F:", "acknowledge": "F:", "shelve_timed": "F:",
        "shelve_oneshot": "F:", "unshelve": "B:SN", "shelve_expired": "B:SN", "suppress": "G:",
        "unsuppress": X, "out_of_service": "H:", "in_service": X, "reset": X, "realarm": "F:U",
    },
    "G": {
        "activate": "G:U", "clear": "G:", "acknowledge": "G:", "shelve_timed": "G:",
        "shelve_oneshot": "G:", "unshelve": X, "shelve_expired": X, "suppress": X,
        "unsuppress": "B:N", "out_of_service": "H:", "in_service": X, "reset": X,
        "realarm": "G:U",
    },
    "H": {
        "activate": "H:U", "clear": "H:", "acknowledge": "H:", "shelve_timed": X,
        "shelve_oneshot": X, "unshelve": X, "shelve_expired": X, "suppress": "H:",
        "unsuppress": X, "out_of_service": X, "in_service": "B:N", "reset": X, "realarm": "H:U",
    },
}  # fmt: skip

LETTERS = {
    EffectKind.OCCURRENCE_OPENED: "O",
    EffectKind.OCCURRENCE_UPDATED: "U",
    EffectKind.OCCURRENCE_CLOSED: "X",
    EffectKind.ANNUNCIATE: "N",
    EffectKind.SHELVE_ENDED: "S",
}

CASES = [
    pytest.param(state, event, TABLE[state][event], id=f"{state}-{event}")
    for state, event in itertools.product(STATES, EVENTS)
]


def test_table_covers_every_state_and_event() -> None:
    assert set(EVENTS) == set(EVENT_TYPES)
    assert {type(e) for e in EVENTS.values()} == set(EVENT_TYPES.values())
    assert set(TABLE) == set(STATES)
    for row in TABLE.values():
        assert set(row) == set(EVENTS)


def test_fixture_states_have_their_labels() -> None:
    labels = {name: state.label.value for name, state in STATES.items()}
    assert labels == {
        "A": "A", "B": "B", "C": "C", "D": "D", "E_unacked": "E", "E_acked": "E",
        "F": "F", "G": "G", "H": "H",
    }  # fmt: skip


@pytest.mark.parametrize(("state_name", "event_name", "expected"), CASES)
def test_transition(state_name: str, event_name: str, expected: str | None) -> None:
    state, event = STATES[state_name], EVENTS[event_name]
    if expected is None:
        with pytest.raises(IllegalTransition):
            apply(state, event, NOW, POLICY)
        return
    result = apply(state, event, NOW, POLICY)
    effects = "".join(LETTERS[effect.kind] for effect in result.effects)
    assert f"{result.new_state.label.value}:{effects}" == expected
