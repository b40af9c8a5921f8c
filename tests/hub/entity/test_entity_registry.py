"""Entity registry: stable ids across restarts, uniqueness, orphans."""

from __future__ import annotations

from pathlib import Path

from hub.core.hub import Hub
from hub.entity.platforms.sensor import SensorEntity


class Level(SensorEntity):
    def __init__(self, unique_id: str, name: str, value: float) -> None:
        self._attr_unique_id = unique_id
        self._attr_name = name
        self._attr_native_value = value
        self._attr_native_unit_of_measurement = "%"


async def test_ids_are_stable_across_restart(config_dir: Path) -> None:
    first = Hub(config_dir)
    await first.start_core()
    await first.entities.add("tanks", [Level("t1", "Tank level", 40.0)])
    await first.stop()

    second = Hub(config_dir)
    await second.start_core()
    # Another integration took the natural id meanwhile: the registry still wins.
    await second.entities.add("other", [Level("x", "Tank level", 1.0)])
    await second.entities.add("tanks", [Level("t1", "Renamed", 41.0)])
    try:
        assert second.states.get("sensor.tank_level_2") is not None
        state = second.states.get("sensor.tank_level")
        assert state is not None and state.state == "41.0"
        assert state.attributes["unit_of_measurement"] == "%"
    finally:
        await second.stop()


async def test_re_adding_an_integration_keeps_ids(hub: Hub) -> None:
    await hub.entities.add("tanks", [Level("t1", "Tank level", 40.0)])
    await hub.entities.remove_integration("tanks")
    assert hub.states.get("sensor.tank_level") is None
    await hub.entities.add("tanks", [Level("t1", "Tank level", 40.0)])
    assert hub.states.get("sensor.tank_level") is not None
    assert hub.states.get("sensor.tank_level_2") is None


async def test_entity_without_unique_id_gets_free_id(hub: Hub) -> None:
    one, two = Level("a", "Same", 1.0), Level("b", "Same", 2.0)
    one._attr_unique_id = None
    two._attr_unique_id = None
    ids = await hub.entities.add("x", [one, two])
    assert ids == ["sensor.same", "sensor.same_2"]


async def test_orphans(hub: Hub) -> None:
    await hub.entities.add("old", [Level("o", "Old", 1.0)])
    await hub.entities.add("tanks", [Level("t", "Tank", 1.0)])
    assert [e.entity_id for e in hub.entity_registry.orphans(["tanks"])] == ["sensor.old"]
    await hub.entities.remove(["sensor.old"], forget=True)
    assert hub.entity_registry.orphans(["tanks"]) == []
