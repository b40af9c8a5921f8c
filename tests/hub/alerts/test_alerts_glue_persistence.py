"""Rule state, acknowledgements, shelves and history survive a restart of the hub."""

from __future__ import annotations

from pathlib import Path

from alerts_glue import running_alerts
from sqlalchemy import func, select

from hub.alerts.store import AuditRow, OccurrenceRow
from hub.core.clock import ManualClock

SLOW = """
alert:
  pressure_high:
    name: Pressure high
    entity_id: sensor.pressure
    above: 10
    delay_on: "00:10:00"
    repeat: [5, 15]
    max_shelve: "02:00:00"
    notifiers: [phone]
"""


async def test_restart_mid_delay_fires_once_at_the_original_deadline(config_dir: Path) -> None:
    clock = ManualClock()
    start = clock.time()
    async with running_alerts(config_dir, SLOW, clock) as first:
        await first.set("sensor.pressure", 12)
        await first.advance(300)
        assert first.alert("pressure_high").state == "idle"
    async with running_alerts(config_dir, None, clock) as second:
        await second.set("sensor.pressure", 12.5)
        await second.advance(299)
        assert second.alert("pressure_high").state == "idle"
        await second.advance(1)
        assert second.alert("pressure_high").state == "on"
        await second.advance(60)
    assert first.sent == []
    assert [s.ts - start for s in second.sent] == [600]


async def test_repeat_schedule_continues_after_a_restart(config_dir: Path) -> None:
    clock = ManualClock()
    text = SLOW.replace('delay_on: "00:10:00"', "delay_on: 0")
    start = clock.time()
    async with running_alerts(config_dir, text, clock) as first:
        await first.set("sensor.pressure", 12)
        await first.advance(7 * 60)
    async with running_alerts(config_dir, None, clock) as second:
        await second.advance(30 * 60)
    sent = [(s.ts - start) / 60 for s in first.sent + second.sent]
    assert sent == [0, 5, 20, 35]


async def test_ack_and_shelve_survive_and_the_shelve_expires(config_dir: Path) -> None:
    clock = ManualClock()
    text = SLOW.replace('delay_on: "00:10:00"', "delay_on: 0")
    async with running_alerts(config_dir, text, clock) as first:
        await first.set("sensor.pressure", 12)
        await first.call("acknowledge", "pressure_high", user="u-ops")
        await first.call("shelve", "pressure_high", user="u-ops", duration=3600, reason="pump swap")
        occurrence = first.alert("pressure_high").attributes["occurrence_id"]
    async with running_alerts(config_dir, None, clock) as second:
        state = second.alert("pressure_high")
        assert state.state == "off"
        assert state.attributes["acknowledged"] is True
        assert state.attributes["shelved"] is True
        assert state.attributes["isa_state"] == "F"
        assert state.attributes["occurrence_id"] == occurrence
        await second.advance(3600)
        assert second.alert("pressure_high").attributes["isa_state"] == "C"
        await second.manager.store.flush()

        def count(session: object) -> tuple[int, list[tuple[str, str | None]]]:
            occurrences = session.scalar(select(func.count()).select_from(OccurrenceRow))  # type: ignore[attr-defined]
            rows = session.execute(  # type: ignore[attr-defined]
                select(AuditRow.action, AuditRow.actor).order_by(AuditRow.id)
            )
            return occurrences, [tuple(row) for row in rows]

        occurrences, audit = await second.hub.db.run(count)
    assert occurrences == 1
    assert audit == [
        ("activate", "system"),
        ("acknowledge", "u-ops"),
        ("shelve_timed", "u-ops"),
        ("shelve_expired", "system"),
    ]
