"""Two hubs with different site ids share one database without clashing."""

from __future__ import annotations

from recorder_helpers import T0, StartRecorder

from hub.recorder.history import HistoryQuery, get_history


async def test_two_sites_share_a_database(start_recorder: StartRecorder) -> None:
    north, north_recorder = await start_recorder(site_id="north")
    south, south_recorder = await start_recorder(site_id="south")
    attrs = {"unit_of_measurement": "cm"}
    for second in range(50):
        north.states.set("sensor.tank_level", str(second), attrs, timestamp=T0 + second)
        south.states.set("sensor.tank_level", str(1000 + second), attrs, timestamp=T0 + second)
    south.bus.fire("button_pressed", {"site": "south"})
    await north_recorder.flush()
    await south_recorder.flush()

    def history(site: str):  # type: ignore[no-untyped-def]
        return north_recorder.run_query(
            lambda conn: get_history(
                conn, HistoryQuery(site, T0, T0 + 100, ["sensor.tank_level"], no_attributes=True)
            )
        )

    north_states = [item["state"] for item in (await history("north"))[0]]
    south_states = [item["state"] for item in (await history("south"))[0]]
    assert north_states == [str(s) for s in range(50)]
    assert south_states == [str(1000 + s) for s in range(50)]

    await north.services.call("recorder", "purge", {"keep_days": 0})
    assert await history("north") == []
    assert len((await history("south"))[0]) == 50
