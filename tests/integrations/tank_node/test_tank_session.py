"""The node WebSocket session, driven frame by frame with a raw WebSocket client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from tank_helpers import TANK, TankHub, eventually

from hub.core.bus import Event
from hub.entity.device_registry import DeviceEntry
from integrations.tank_node.const import CREDENTIAL_KIND, DEVICE_DATA_TANK
from integrations.tank_node.runtime import RUNTIME
from integrations.tank_node.schema import TANK_SETTINGS_SCHEMA

MAC = "a4:cf:12:0b:9e:02"
NOW_MS = 1_750_000_000_000


@dataclass
class Paired:
    device: DeviceEntry
    token: str


@pytest_asyncio.fixture
async def paired(tank_hub: TankHub) -> Paired:
    hub = tank_hub.hub
    device = await hub.device_registry.register(
        "tank_node",
        "Cistern",
        [("mac", MAC)],
        data={DEVICE_DATA_TANK: TANK_SETTINGS_SCHEMA(dict(TANK))},
    )
    credential = await hub.device_registry.issue_credential(device.id, CREDENTIAL_KIND)
    await hub.data[RUNTIME].sessions.add_device(device)
    return Paired(device, credential.token)


@pytest_asyncio.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def identify(paired: Paired, **changes: Any) -> str:
    frame = {
        "type": "tank-identify",
        "v": 1,
        "device_id": paired.device.id,
        "secret": paired.token,
        "mac": MAC,
        "model": "tank-node-esp32",
        "fw": "1.2.0",
        "boot": 3,
    }
    return json.dumps({**frame, **changes})


def update(seq: int, distance: int | None, ts_ms: int, boot: int = 3) -> str:
    return json.dumps(
        {
            "type": "tank-update",
            "v": 1,
            "boot": boot,
            "seq": seq,
            "ts_ms": ts_ms,
            "distance_mm": distance,
            "quality": 90,
        }
    )


async def receive_json(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    frame = await ws.receive(timeout=5)
    assert frame.type is aiohttp.WSMsgType.TEXT, frame
    data: dict[str, Any] = json.loads(frame.data)
    return data


async def expect_close(ws: aiohttp.ClientWebSocketResponse, code: int) -> None:
    announced = await receive_json(ws)
    assert announced["type"] == "close" and announced["code"] == code
    frame = await ws.receive(timeout=5)
    assert frame.type is aiohttp.WSMsgType.CLOSE
    assert ws.close_code == code


async def test_identify_config_updates_and_entities(
    tank_hub: TankHub, paired: Paired, client: aiohttp.ClientSession
) -> None:
    states = tank_hub.hub.states
    async with client.ws_connect(tank_hub.ws_url) as ws:
        await ws.send_str(identify(paired))
        config = await receive_json(ws)
        assert config["type"] == "tank-config"
        assert config["interval_s"] == 5
        assert config["tank"]["shape"] == "vertical_cylinder"
        assert states.get("binary_sensor.cistern_online").state == "on"  # type: ignore[union-attr]

        await ws.send_str(update(1, 700, NOW_MS))
        assert await receive_json(ws) == {"type": "ack", "v": 1, "boot": 3, "seq": 1}
        level = states.get("sensor.cistern_level")
        assert level is not None and float(level.state) == pytest.approx(800 / 1500 * 100, abs=0.01)
        volume = float(states.get("sensor.cistern_volume").state)  # type: ignore[union-attr]
        assert volume == pytest.approx(3.14159265 * 500**2 * 800 / 1e6, abs=0.01)
        free = float(states.get("sensor.cistern_free_volume").state)  # type: ignore[union-attr]
        assert free + volume == pytest.approx(3.14159265 * 500**2 * 1500 / 1e6, abs=0.01)
        assert states.get("sensor.cistern_distance").state == "700.0"  # type: ignore[union-attr]
        assert states.get("sensor.cistern_signal_quality").state == "90.0"  # type: ignore[union-attr]
        assert level.last_updated.timestamp() == NOW_MS / 1000

        # a steady drain of 10 mm per minute: fill rate and time to empty appear
        for seq in range(2, 7):
            await ws.send_str(update(seq, 700 + 10 * (seq - 1), NOW_MS + 60_000 * (seq - 1)))
            assert (await receive_json(ws))["seq"] == seq
        rate = float(states.get("sensor.cistern_fill_rate").state)  # type: ignore[union-attr]
        assert rate == pytest.approx(-3.14159265 * 500**2 * 600 / 1e6, rel=1e-3)
        hours = float(states.get("sensor.cistern_time_to_empty").state)  # type: ignore[union-attr]
        assert hours == pytest.approx(750 / 600, rel=1e-3)
        assert states.get("sensor.cistern_time_to_full").state == "unknown"  # type: ignore[union-attr]
    await eventually(lambda: states.get("binary_sensor.cistern_online").state == "off")  # type: ignore[union-attr]


async def test_duplicates_are_acked_but_ignored_and_late_readings_keep_the_live_state(
    tank_hub: TankHub, paired: Paired, client: aiohttp.ClientSession
) -> None:
    states = tank_hub.hub.states
    async with client.ws_connect(tank_hub.ws_url) as ws:
        await ws.send_str(identify(paired))
        await receive_json(ws)
        await ws.send_str(update(5, 700, NOW_MS))
        await receive_json(ws)
        await ws.send_str(update(5, 100, NOW_MS + 1000))
        assert await receive_json(ws) == {"type": "ack", "v": 1, "boot": 3, "seq": 5}
        assert states.get("sensor.cistern_distance").state == "700.0"  # type: ignore[union-attr]
        # a buffered reading measured earlier but sent later (new seq, older ts_ms)
        await ws.send_str(update(6, 300, NOW_MS - 60_000))
        assert (await receive_json(ws))["seq"] == 6
        assert states.get("sensor.cistern_distance").state == "700.0"  # type: ignore[union-attr]
        # a reading of a later boot is live again
        await ws.send_str(update(1, 650, NOW_MS + 5000, boot=4))
        assert await receive_json(ws) == {"type": "ack", "v": 1, "boot": 4, "seq": 1}
        assert states.get("sensor.cistern_distance").state == "650.0"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("distance", "expected_level", "flag"),
    [
        (None, None, None),
        (0, None, None),
        (100_000, "0.0", "clamped"),
        (50, repr(round(1300 / 1500 * 100, 3)), "blind_zone"),
    ],
)
async def test_absurd_distances(
    tank_hub: TankHub,
    paired: Paired,
    client: aiohttp.ClientSession,
    distance: int | None,
    expected_level: str | None,
    flag: str | None,
) -> None:
    states = tank_hub.hub.states
    async with client.ws_connect(tank_hub.ws_url) as ws:
        await ws.send_str(identify(paired))
        await receive_json(ws)
        await ws.send_str(update(1, distance, NOW_MS))
        assert (await receive_json(ws))["seq"] == 1
    level = states.get("sensor.cistern_level")
    assert level is not None
    tank = tank_hub.hub.data[RUNTIME].sessions.tank(paired.device.id)
    assert tank is not None
    if expected_level is None:
        assert level.state == "unknown"
        assert tank.invalid_readings == 1
    else:
        assert level.state == expected_level
        assert flag is not None and level.attributes[flag] is True


async def test_wrong_secret_is_refused_with_4001_and_counted(
    tank_hub: TankHub, paired: Paired, client: aiohttp.ClientSession
) -> None:
    sessions = tank_hub.hub.data[RUNTIME].sessions
    key_id = paired.token.partition(".")[0]
    for bad in (key_id + ".wrong", "nodot", paired.token):
        async with client.ws_connect(tank_hub.ws_url) as ws:
            device_id = "someone-else" if bad == paired.token else paired.device.id
            await ws.send_str(identify(paired, secret=bad, device_id=device_id))
            await expect_close(ws, 4001)
    assert sessions.rejected == 3
    assert not sessions.is_online(paired.device.id)


@pytest.mark.parametrize(
    "first",
    [
        "not json",
        "[1, 2]",
        json.dumps({"type": "tank-update", "v": 1, "boot": 1, "seq": 1, "ts_ms": 0}),
        json.dumps({"type": "tank-identify", "v": 2}),
        "x" * 3000,
    ],
)
async def test_malformed_first_frame_closes_with_4008(
    tank_hub: TankHub, paired: Paired, client: aiohttp.ClientSession, first: str
) -> None:
    async with client.ws_connect(tank_hub.ws_url) as ws:
        await ws.send_str(first)
        await expect_close(ws, 4008)
    assert tank_hub.hub.data[RUNTIME].sessions.violations == 1


async def test_malformed_frame_in_session_closes_with_4008(
    tank_hub: TankHub, paired: Paired, client: aiohttp.ClientSession
) -> None:
    async with client.ws_connect(tank_hub.ws_url) as ws:
        await ws.send_str(identify(paired))
        await receive_json(ws)
        await ws.send_str(update(1, 700, NOW_MS).replace("700", "NaN"))
        await expect_close(ws, 4008)


async def test_newer_session_supersedes_the_older(
    tank_hub: TankHub, paired: Paired, client: aiohttp.ClientSession
) -> None:
    async with client.ws_connect(tank_hub.ws_url) as old, client.ws_connect(tank_hub.ws_url) as new:
        await old.send_str(identify(paired))
        await receive_json(old)
        await new.send_str(identify(paired))
        await expect_close(old, 4010)
        assert (await receive_json(new))["type"] == "tank-config"
        assert tank_hub.hub.data[RUNTIME].sessions.is_online(paired.device.id)


async def test_removal_closes_with_4003_fires_event_and_refuses_identify(
    tank_hub: TankHub, paired: Paired, client: aiohttp.ClientSession
) -> None:
    hub = tank_hub.hub
    fired: list[Event] = []
    hub.bus.listen("tank-decommissioned", fired.append)
    async with client.ws_connect(tank_hub.ws_url) as ws:
        await ws.send_str(identify(paired))
        await receive_json(ws)
        await hub.device_registry.remove(paired.device.id)
        await expect_close(ws, 4003)
    assert [e.data for e in fired] == [{"device_id": paired.device.id}]
    await eventually(lambda: hub.states.get("sensor.cistern_level") is None)
    async with client.ws_connect(tank_hub.ws_url) as ws:
        await ws.send_str(identify(paired))
        await expect_close(ws, 4001)
