"""Button entities: ``button.press`` calls the entity and records the time."""

from __future__ import annotations

from hub.api import ButtonEntity
from hub.core.hub import Hub


class Bell(ButtonEntity):
    _attr_name = "Bell"
    presses = 0

    async def async_press(self) -> None:
        self.presses += 1


async def test_press_records_time(hub: Hub) -> None:
    bell = Bell()
    await hub.entities.add("test", [bell])
    assert hub.states.get("button.bell").state == "unknown"
    await hub.services.call("button", "press", {"entity_id": "button.bell"})
    assert bell.presses == 1
    assert hub.states.get("button.bell").state.startswith("20")
