"""Select entities: options as an attribute, unknown options refused."""

from __future__ import annotations

import pytest

from hub.api import SelectEntity, ServiceValidationError
from hub.core.hub import Hub


class Mode(SelectEntity):
    _attr_name = "Mode"
    _attr_options = ("eco", "boost")

    async def async_select_option(self, option: str) -> None:
        self._attr_current_option = option
        self.write_state()


async def test_select_option(hub: Hub) -> None:
    await hub.entities.add("test", [Mode()])
    assert hub.states.get("select.mode").attributes["options"] == ["eco", "boost"]
    await hub.services.call(
        "select", "select_option", {"entity_id": "select.mode", "option": "boost"}
    )
    assert hub.states.get("select.mode").state == "boost"
    with pytest.raises(ServiceValidationError, match="not an option"):
        await hub.services.call(
            "select", "select_option", {"entity_id": "select.mode", "option": "turbo"}
        )
