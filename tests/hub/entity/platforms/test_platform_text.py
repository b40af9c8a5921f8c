"""Text entities: length and pattern checked before the value is applied."""

from __future__ import annotations

import pytest

from hub.api import ServiceValidationError, TextEntity
from hub.core.hub import Hub


class Label(TextEntity):
    _attr_name = "Label"
    _attr_native_max = 5
    _attr_pattern = r"[a-z]+"

    async def async_set_native_value(self, value: str) -> None:
        self._attr_native_value = value
        self.write_state()


@pytest.mark.parametrize(
    ("value", "error"), [("abc", None), ("toolong", "characters"), ("AB", "pattern")]
)
async def test_set_value(hub: Hub, value: str, error: str | None) -> None:
    await hub.entities.add("test", [Label()])
    call = hub.services.call("text", "set_value", {"entity_id": "text.label", "value": value})
    if error is None:
        await call
        assert hub.states.get("text.label").state == value
    else:
        with pytest.raises(ServiceValidationError, match=error):
            await call
        assert hub.states.get("text.label").state == "unknown"
