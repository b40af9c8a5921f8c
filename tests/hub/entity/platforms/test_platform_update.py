"""Update entities: on when the latest version differs from the installed one."""

from __future__ import annotations

import pytest

from hub.api import UpdateEntity
from hub.core.hub import Hub


class Firmware(UpdateEntity):
    _attr_name = "Firmware"

    def __init__(self) -> None:
        self.installed: list[str | None] = []

    async def async_install(self, version: str | None = None, backup: bool = False) -> None:
        self.installed.append(version)


@pytest.mark.parametrize(
    ("installed", "latest", "state"),
    [(None, "1.0", "unknown"), ("1.0", "1.0", "off"), ("1.0", "1.1", "on")],
)
async def test_state(hub: Hub, installed: str | None, latest: str | None, state: str) -> None:
    entity = Firmware()
    entity._attr_installed_version = installed
    entity._attr_latest_version = latest
    await hub.entities.add("test", [entity])
    assert hub.states.get("update.firmware").state == state
    assert hub.states.get("update.firmware").attributes["latest_version"] == latest


async def test_install_service(hub: Hub) -> None:
    entity = Firmware()
    await hub.entities.add("test", [entity])
    await hub.services.call("update", "install", {"entity_id": "update.firmware", "version": "2.0"})
    assert entity.installed == ["2.0"]
