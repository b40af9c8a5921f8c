"""Rollouts to simulated tank nodes over the real WebSocket and HTTP download path."""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

from ota_helpers import OtaHub, Publisher, build_image, eventually


async def _start(ota_hub: OtaHub, image_id: str, **spec: Any) -> dict[str, Any]:
    result = await ota_hub.client.request(
        "POST", "/api/ota/rollouts", json={"image_id": image_id, **spec}, role="operator"
    )
    assert result.status == 201, result.data
    data: dict[str, Any] = result.data
    return data


def _states(ota_hub: OtaHub, rollout_id: str) -> dict[str, str]:
    records = ota_hub.manager.engine.records[rollout_id]
    return {r.device_id: str(r.state) for r in records}


async def _upload(ota_hub: OtaHub, version: str) -> str:
    result = await ota_hub.upload(build_image(version), version)
    assert result.status == 201, result.data
    image_id: str = result.data["id"]
    return image_id


async def test_rollout_to_50_nodes_with_canary_succeeds(ota_hub: OtaHub, sim: ModuleType) -> None:
    nodes = [await ota_hub.pair(sim, i) for i in range(1, 51)]
    await eventually(lambda: all(n.configured.is_set() for n in nodes))
    image_id = await _upload(ota_hub, "1.3.0")
    rollout = await _start(ota_hub, image_id, canary="10%", groups=[50, 100], concurrency=20)
    assert [len(g) for g in rollout["groups"]] == [5, 20, 25]
    engine = ota_hub.manager.engine
    await eventually(lambda: engine.rollouts[rollout["id"]].status == "finished", 60)
    assert set(_states(ota_hub, rollout["id"]).values()) == {"succeeded"}
    assert {n.fw for n in nodes} == {"1.3.0"}
    assert all(n.ota.range_requests >= 3 for n in nodes)
    device = ota_hub.hub.device_registry.get(rollout["groups"][0][0])
    assert device is not None and device.sw_version == "1.3.0"
    state = ota_hub.hub.states.get(ota_hub.manager.entities[device.id].entity_id)
    assert state is not None
    assert state.state == "off"
    assert state.attributes["installed_version"] == "1.3.0"


async def test_bad_image_fails_the_canary_and_pauses(ota_hub: OtaHub, sim: ModuleType) -> None:
    untrusted = Publisher.new()
    settings = sim.OtaSettings(public_key=untrusted.public_raw)
    nodes = [await ota_hub.pair(sim, i, ota=settings) for i in range(1, 11)]
    await eventually(lambda: all(n.configured.is_set() for n in nodes))
    image_id = await _upload(ota_hub, "1.3.0")
    rollout = await _start(ota_hub, image_id, canary=2, error_threshold="50%")
    engine = ota_hub.manager.engine
    await eventually(lambda: engine.rollouts[rollout["id"]].status == "paused")
    canary = rollout["groups"][0]
    await eventually(lambda: all(r.terminal for r in engine.records[rollout["id"]][:2]))
    states = _states(ota_hub, rollout["id"])
    assert {states[d] for d in canary} == {"failed"}
    assert {states[d] for d in rollout["groups"][1]} == {"pending"}
    assert {r.error_code for r in engine.records[rollout["id"]] if r.group == 0} == {"signature"}
    assert {n.fw for n in nodes} == {"1.2.0"}
    assert "group 0" in (engine.rollouts[rollout["id"]].status_reason or "")


async def test_offline_node_updates_when_it_returns(ota_hub: OtaHub, sim: ModuleType) -> None:
    online = await ota_hub.pair(sim, 1)
    away = await ota_hub.pair(sim, 2)
    await eventually(lambda: online.configured.is_set() and away.configured.is_set())
    await away.go_offline()
    engine = ota_hub.manager.engine
    await eventually(lambda: engine.online.get(away.state.device_id) is False)
    image_id = await _upload(ota_hub, "1.3.0")
    rollout = await _start(ota_hub, image_id)
    await eventually(lambda: _states(ota_hub, rollout["id"])[online.state.device_id] == "succeeded")
    assert _states(ota_hub, rollout["id"])[away.state.device_id] == "skipped-offline"
    assert engine.rollouts[rollout["id"]].status == "running"
    away.go_online()
    await eventually(lambda: engine.rollouts[rollout["id"]].status == "finished")
    assert away.fw == "1.3.0"


async def test_tampered_image_is_refused_by_the_device(ota_hub: OtaHub, sim: ModuleType) -> None:
    node = await ota_hub.pair(sim, 1)
    await eventually(node.configured.is_set)
    image_id = await _upload(ota_hub, "1.3.0")
    stored = ota_hub.hub.config_dir / "ota" / f"{image_id}.bin"
    data = bytearray(await asyncio.to_thread(stored.read_bytes))
    data[-1] ^= 0xFF
    await asyncio.to_thread(stored.write_bytes, bytes(data))
    rollout = await _start(ota_hub, image_id)
    engine = ota_hub.manager.engine
    await eventually(lambda: engine.rollouts[rollout["id"]].status == "paused")
    (record,) = engine.records[rollout["id"]]
    assert (str(record.state), record.error_code) == ("failed", "checksum")
    assert node.fw == "1.2.0"


async def test_boot_failure_is_rolled_back(ota_hub: OtaHub, sim: ModuleType) -> None:
    settings = sim.OtaSettings(public_key=ota_hub.publisher.public_raw, boot_fails=True)
    node = await ota_hub.pair(sim, 1, ota=settings)
    await eventually(node.configured.is_set)
    image_id = await _upload(ota_hub, "1.3.0")
    rollout = await _start(ota_hub, image_id, error_action="abort")
    engine = ota_hub.manager.engine
    await eventually(lambda: engine.rollouts[rollout["id"]].status == "aborted")
    (record,) = engine.records[rollout["id"]]
    assert str(record.state) == "rolled_back"
    assert record.error_code == "rolled_back"
    assert node.fw == "1.2.0"
    assert node.ota.installed == ["1.3.0"]
