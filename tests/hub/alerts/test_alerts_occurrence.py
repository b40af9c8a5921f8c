"""Occurrence records, the one-open-per-source rule and the audit trail."""

from __future__ import annotations

import json

from alerts_clock import Clock

from hub.alerts.model import (
    Acknowledge,
    Activate,
    AlertState,
    Clear,
    Event,
    ShelveTimed,
    Unshelve,
    apply,
)
from hub.alerts.occurrence import Occurrence, OccurrenceBook, Recorded
from hub.alerts.severity import Severity


class Driver:
    """Applies events to one alert and records them, as the hub glue does."""

    def __init__(self, book: OccurrenceBook, source: str = "sensor.boiler") -> None:
        self.book = book
        self.source = source
        self.state = AlertState()

    def __call__(self, event: Event, now: float) -> Recorded:
        result = apply(self.state, event, now)
        recorded = self.book.record(
            alert_id="boiler_hot",
            source=self.source,
            severity=Severity.CRITICAL,
            event=event,
            before=self.state,
            result=result,
            now=now,
        )
        self.state = result.new_state
        return recorded


def test_full_lifecycle_with_audit(clock: Clock) -> None:
    book = OccurrenceBook()
    drive = Driver(book)
    start = clock.now
    opened = drive(Activate(value=95.0, occurrence_id="o1"), start)
    assert [o.id for o in opened.changed] == ["o1"]
    drive(Acknowledge(actor="alice", reason="crew sent"), clock.advance(60))
    closed = drive(Clear(value=70.0), clock.advance(60))

    (occ,) = closed.changed
    assert (occ.start_ts, occ.ack_ts, occ.ack_by, occ.clear_ts) == (
        start,
        start + 60,
        "alice",
        start + 120,
    )
    assert (occ.closed_ts, occ.outcome, occ.first_value, occ.last_value) == (
        start + 120,
        "cleared",
        95.0,
        70.0,
    )
    assert occ.annunciated
    assert [(a.action, a.actor, a.reason, a.from_label, a.to_label) for a in occ.audit] == [
        ("activate", None, None, "A", "B"),
        ("acknowledge", "alice", "crew sent", "B", "C"),
        ("clear", None, None, "C", "A"),
    ]
    assert book.open_occurrences() == []


def test_retrigger_updates_and_never_duplicates(clock: Clock) -> None:
    book = OccurrenceBook()
    drive = Driver(book)
    drive(Activate(value=95.0, occurrence_id="o1"), clock.now)
    for value in (96.0, 97.0):
        recorded = drive(Activate(value=value, occurrence_id="ignored"), clock.advance(10))
        assert recorded.audit is None
    (occ,) = book.open_occurrences()
    assert (occ.id, occ.last_value, occ.retriggers, occ.end_ts) == ("o1", 97.0, 2, clock.now)
    assert len(occ.audit) == 1


def test_new_activation_after_return_supersedes_the_unacknowledged_one(clock: Clock) -> None:
    book = OccurrenceBook()
    drive = Driver(book)
    drive(Activate(occurrence_id="o1"), clock.now)
    drive(Clear(), clock.advance(5))
    recorded = drive(Activate(occurrence_id="o2"), clock.advance(5))
    by_id = {o.id: o for o in recorded.changed}
    assert (by_id["o1"].outcome, by_id["o1"].ack_ts) == ("superseded", None)
    assert by_id["o2"].is_open
    assert [o.id for o in book.open_occurrences()] == ["o2"]


def test_ack_after_return_closes_with_who(clock: Clock) -> None:
    book = OccurrenceBook()
    drive = Driver(book)
    drive(Activate(occurrence_id="o1"), clock.now)
    drive(Clear(), clock.advance(5))
    (occ,) = drive(Acknowledge(actor="bob"), clock.advance(5)).changed
    assert (occ.outcome, occ.ack_by, occ.audit[-1].to_label) == ("acknowledged", "bob", "A")


def test_shelve_is_audited_and_shelved_alerts_are_still_recorded(clock: Clock) -> None:
    book = OccurrenceBook()
    drive = Driver(book)
    recorded = drive(ShelveTimed(duration=600, reason="calibration", actor="carol"), clock.now)
    assert recorded.changed == ()
    assert recorded.audit is not None
    assert (recorded.audit.action, recorded.audit.detail) == ("shelve_timed", "duration=600s")
    (occ,) = drive(Activate(occurrence_id="o1"), clock.advance(10)).changed
    assert (occ.shelved, occ.annunciated) == (True, False)
    (occ,) = drive(Unshelve(actor="carol", reason="done"), clock.advance(10)).changed
    assert occ.annunciated
    assert [a.action for a in occ.audit] == ["activate", "unshelve"]


def test_one_open_occurrence_per_source(clock: Clock) -> None:
    book = OccurrenceBook()
    Driver(book, "sensor.a")(Activate(occurrence_id="a1"), clock.now)
    Driver(book, "sensor.b")(Activate(occurrence_id="b1"), clock.now)
    assert {(o.source, o.id) for o in book.open_occurrences()} == {
        ("sensor.a", "a1"),
        ("sensor.b", "b1"),
    }
    assert book.get("boiler_hot", "sensor.b") is not None


def test_book_and_occurrences_round_trip_through_json(clock: Clock) -> None:
    book = OccurrenceBook()
    drive = Driver(book)
    drive(Activate(value="on", occurrence_id="o1"), clock.now)
    drive(Acknowledge(actor="alice"), clock.advance(1))
    restored = OccurrenceBook.from_dict(json.loads(json.dumps(book.to_dict())))
    assert restored.open_occurrences() == book.open_occurrences()
    (occ,) = book.open_occurrences()
    assert Occurrence.from_dict(json.loads(json.dumps(occ.to_dict()))) == occ
