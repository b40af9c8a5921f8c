"""Device registry: database first, unique identifiers, removal, credentials."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from hub.core.bus import Event
from hub.core.errors import DeviceAlreadyRegistered
from hub.core.hub import Hub
from hub.entity.platforms.sensor import SensorEntity


class Reading(SensorEntity):
    def __init__(self, device_id: str) -> None:
        self._attr_unique_id = f"{device_id}-level"
        self._attr_name = "Node level"
        self._attr_device_id = device_id
        self._attr_native_value = 1


async def test_second_pairing_of_same_hardware_refused(hub: Hub) -> None:
    await hub.device_registry.register("tank_node", "Node", [("mac", "aa:bb:cc:00:00:01")])
    with pytest.raises(DeviceAlreadyRegistered, match="aa:bb:cc:00:00:01"):
        await hub.device_registry.register("tank_node", "Again", [("mac", "aa:bb:cc:00:00:01")])


async def test_schema_refuses_duplicate_identifier(hub: Hub) -> None:
    device = await hub.device_registry.register("x", "Node", [("mac", "11")])

    def insert_duplicate(session: object) -> None:
        session.execute(  # type: ignore[attr-defined]
            text(
                "INSERT INTO device_identifiers (device_id, kind, value) VALUES (:d, 'mac', '11')"
            ),
            {"d": device.id},
        )

    with pytest.raises(Exception, match="UNIQUE"):
        await hub.db.run(insert_duplicate)


async def test_hydrate_purges_what_database_lacks(config_dir: Path) -> None:
    hub = Hub(config_dir)
    await hub.start_core()
    try:
        device = await hub.device_registry.register("x", "Node", [("mac", "22")])

        def delete_behind_our_back(session: object) -> None:
            session.execute(text("DELETE FROM devices"))  # type: ignore[attr-defined]

        await hub.db.run(delete_behind_our_back)
        await hub.device_registry.hydrate()
        assert hub.device_registry.get(device.id) is None
        assert hub.device_registry.get_by_identifier("mac", "22") is None
    finally:
        await hub.stop()


async def test_removal_is_one_operation(hub: Hub) -> None:
    device = await hub.device_registry.register("x", "Node", [("mac", "33")])
    cred = await hub.device_registry.issue_credential(device.id, "pairing")
    await hub.entities.add("x", [Reading(device.id)])
    removed: list[Event] = []
    hub.bus.listen("device_removed", removed.append)
    assert hub.device_registry.verify_token(cred.token, "pairing") == device

    await hub.device_registry.remove(device.id)
    await hub.tasks.wait(1)
    assert removed[0].data["device_id"] == device.id
    assert hub.device_registry.verify_token(cred.token, "pairing") is None
    assert hub.states.get("sensor.node_level") is None
    assert hub.entity_registry.for_device(device.id) == []

    def count(session: object) -> int:
        return int(session.execute(text("SELECT count(*) FROM entities")).scalar())  # type: ignore[attr-defined]

    assert await hub.db.run(count) == 0


async def test_credentials_are_hashed_and_revocable(hub: Hub) -> None:
    device = await hub.device_registry.register("x", "Node", [("serial", "S1")])
    cred = await hub.device_registry.issue_credential(device.id, "api_key", label="line 1")

    def stored(session: object) -> str:
        return str(session.execute(text("SELECT secret_hash FROM device_credentials")).scalar())  # type: ignore[attr-defined]

    assert cred.secret not in await hub.db.run(stored)
    assert hub.device_registry.verify_token(cred.token, "api_key") == device
    assert hub.device_registry.verify_token(cred.token, "pairing") is None
    assert hub.device_registry.verify_token(cred.key_id + ".wrong", "api_key") is None
    assert await hub.device_registry.revoke_credential(cred.key_id)
    assert hub.device_registry.verify_token(cred.token, "api_key") is None


async def test_update_and_get_or_register(hub: Hub) -> None:
    first = await hub.device_registry.get_or_register(
        "x", "Node", [("mac", "44")], sw_version="1.0"
    )
    again = await hub.device_registry.get_or_register(
        "x", "Node", [("mac", "44")], sw_version="1.1"
    )
    assert again.id == first.id and again.sw_version == "1.1"
