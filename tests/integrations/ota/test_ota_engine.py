"""The rollout engine on a manual clock with a fake channel: gates, soak, thresholds, limits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from ota_helpers import MODEL, PROJECT, Publisher, build_image, eventually

import integrations.ota as ota
from hub.api import ManualClock, ServiceCall, ServiceValidationError
from hub.core.hub import Hub
from hub.core.services_core import register_core_services
from integrations.ota.engine import Report, RolloutEngine
from integrations.ota.models import FwState, RolloutStatus
from integrations.ota.repository import UploadMeta
from integrations.ota.runtime import RUNTIME
from integrations.ota.schema import CONFIG_SCHEMA, ROLLOUT_SCHEMA


class FakeChannel:
    """A channel integration: records commands; devices in ``offline`` are not reachable."""

    def __init__(self, hub: Hub) -> None:
        self.sent: list[str] = []
        self.offline: set[str] = set()
        hub.services.register("fake", "ota_send", self.send, None, supports_response=True)

    def send(self, call: ServiceCall) -> dict[str, bool]:
        device_id = call.data["device_id"]
        if device_id in self.offline:
            return {"sent": False}
        self.sent.append(device_id)
        return {"sent": True}


@pytest_asyncio.fixture
async def clock_hub(config_dir: Path) -> AsyncIterator[Hub]:
    instance = Hub(config_dir, clock=ManualClock())
    await instance.start_core()
    register_core_services(instance)
    instance.mark_started()
    try:
        yield instance
    finally:
        await instance.stop()


class Fleet:
    def __init__(self, hub: Hub, channel: FakeChannel, image_id: str, devices: list[str]) -> None:
        self.hub = hub
        self.channel = channel
        self.image_id = image_id
        self.devices = devices

    @property
    def engine(self) -> RolloutEngine:
        return self.hub.data[RUNTIME].engine

    async def start(self, **spec: Any) -> str:
        rollout = await self.hub.data[RUNTIME].start_rollout(
            ROLLOUT_SCHEMA({"image_id": self.image_id, **spec}), "tester"
        )
        return rollout.id

    async def succeed(self, device_id: str) -> None:
        for state in (FwState.DOWNLOADING, FwState.VERIFIED, FwState.UPDATING, FwState.UPDATED):
            await self.engine.report(Report(device_id, state, "1.3.0", 100))

    async def fail(self, device_id: str, error: str = "signature") -> None:
        await self.engine.report(Report(device_id, FwState.FAILED, "1.3.0", 0, error))


@pytest_asyncio.fixture
async def fleet(clock_hub: Hub) -> AsyncIterator[Fleet]:
    publisher = Publisher.new()
    channel = FakeChannel(clock_hub)
    section = CONFIG_SCHEMA(
        {
            "publisher_keys": [publisher.public_text],
            "models": {MODEL: {"slot_size": 100_000, "project_name": PROJECT}},
        }
    )
    await ota.fieldhub_setup(clock_hub, section)
    devices = []
    for index in range(10):
        device = await clock_hub.device_registry.register(
            "fake", f"Node {index}", [("mac", f"02:00:00:00:01:{index:02x}")],
            model=MODEL, sw_version="1.2.0",
        )  # fmt: skip
        devices.append(device.id)
    image = build_image("1.3.0")

    async def chunks() -> AsyncIterator[bytes]:
        yield image

    stored = await clock_hub.data[RUNTIME].repository.add(
        UploadMeta(MODEL, "1.3.0", publisher.sign(image)), chunks(), "tester"
    )
    clock_hub.data[RUNTIME].engine.image_added(stored)
    yield Fleet(clock_hub, channel, stored.id, devices)
    await ota.fieldhub_unload(clock_hub)


def _group(fleet: Fleet, rollout_id: str, index: int) -> list[str]:
    groups: list[list[str]] = fleet.engine.rollouts[rollout_id].groups
    return groups[index]


async def test_canary_then_next_group_after_success(fleet: Fleet) -> None:
    rollout_id = await fleet.start(canary=2)
    canary = _group(fleet, rollout_id, 0)
    assert sorted(fleet.channel.sent) == sorted(canary)
    for device_id in canary:
        await fleet.succeed(device_id)
    assert fleet.engine.rollouts[rollout_id].current_group == 1
    assert len(fleet.channel.sent) == 10


async def test_concurrency_limits_devices_downloading(fleet: Fleet) -> None:
    rollout_id = await fleet.start(concurrency=3)
    assert len(fleet.channel.sent) == 3
    await fleet.succeed(fleet.channel.sent[0])
    assert len(fleet.channel.sent) == 4
    assert fleet.engine.rollouts[rollout_id].status is RolloutStatus.RUNNING


async def test_manual_gate_waits_for_approval(fleet: Fleet) -> None:
    rollout_id = await fleet.start(canary=1, manual_gate=True)
    await fleet.succeed(_group(fleet, rollout_id, 0)[0])
    rollout = fleet.engine.rollouts[rollout_id]
    assert rollout.status is RolloutStatus.WAITING_APPROVAL
    assert len(fleet.channel.sent) == 1
    await fleet.engine.approve(rollout, "operator")
    assert len(fleet.channel.sent) == 10


async def test_soak_time_between_groups(fleet: Fleet, clock_hub: Hub) -> None:
    rollout_id = await fleet.start(canary=1, soak=3600)
    await fleet.succeed(_group(fleet, rollout_id, 0)[0])
    assert fleet.engine.rollouts[rollout_id].status is RolloutStatus.SOAKING
    clock = clock_hub.clock
    assert isinstance(clock, ManualClock)
    clock.advance(3599)
    assert len(fleet.channel.sent) == 1
    clock.advance(1)
    await eventually(lambda: len(fleet.channel.sent) == 10)
    assert fleet.engine.rollouts[rollout_id].status is RolloutStatus.RUNNING


async def _sweeps_done(hub: Hub) -> None:
    """Let the stall sweeps the clock just fired run to their end."""
    sweeps = [task for task in hub.tasks.tasks if task.get_name() == "ota-stall-sweep"]
    await asyncio.gather(*sweeps)


async def test_a_silent_device_times_out_frees_its_slot_and_is_retried(
    fleet: Fleet, clock_hub: Hub
) -> None:
    rollout_id = await fleet.start(concurrency=1, stall_timeout=600, error_threshold=5)
    silent = fleet.channel.sent[0]
    clock = clock_hub.clock
    assert isinstance(clock, ManualClock)
    clock.advance(300)
    await fleet.engine.report(Report(silent, FwState.DOWNLOADING, "1.3.0", 40))  # progress
    clock.advance(570)  # 870 s after the command, 570 s after the last report
    await _sweeps_done(clock_hub)
    assert fleet.channel.sent == [silent]
    clock.advance(60)  # now silent past 600 s: the sweep fails the attempt, which is retried
    await _sweeps_done(clock_hub)
    record = next(r for r in fleet.engine.records[rollout_id] if r.device_id == silent)
    assert fleet.channel.sent == [silent, silent] and record.attempts == 2
    for _ in range(2):  # the third silent attempt is the last one (max_attempts 3)
        clock.advance(630)
        await _sweeps_done(clock_hub)
    assert (str(record.state), record.error_code, record.attempts) == ("failed", "timeout", 3)
    assert len(fleet.channel.sent) == 4 and fleet.channel.sent[3] != silent  # slot freed


async def test_error_threshold_aborts_when_asked(fleet: Fleet) -> None:
    rollout_id = await fleet.start(canary=4, error_threshold="50%", error_action="abort")
    canary = _group(fleet, rollout_id, 0)
    await fleet.fail(canary[0])
    assert fleet.engine.rollouts[rollout_id].status is RolloutStatus.RUNNING
    await fleet.fail(canary[1])
    rollout = fleet.engine.rollouts[rollout_id]
    assert rollout.status is RolloutStatus.ABORTED
    states = {r.device_id: str(r.state) for r in fleet.engine.records[rollout_id]}
    assert all(states[d] == "failed" for d in _group(fleet, rollout_id, 1))
    assert len(fleet.channel.sent) == 4


async def test_pause_resume_and_retry_of_download_errors(fleet: Fleet) -> None:
    rollout_id = await fleet.start(concurrency=1, error_threshold=5)
    rollout = fleet.engine.rollouts[rollout_id]
    first = fleet.channel.sent[0]
    await fleet.engine.pause(rollout, "operator")
    await fleet.fail(first, "download")
    assert [str(r.state) for r in fleet.engine.records[rollout_id] if r.device_id == first] == [
        "pending"
    ]
    assert len(fleet.channel.sent) == 1
    await fleet.engine.resume(rollout, "operator")
    assert fleet.channel.sent[:2] == [first, first]


async def test_offline_devices_are_pending_not_failed(fleet: Fleet) -> None:
    fleet.channel.offline.add(fleet.devices[0])
    rollout_id = await fleet.start(target={"device_ids": fleet.devices[:2]})
    states = {r.device_id: str(r.state) for r in fleet.engine.records[rollout_id]}
    assert states[fleet.devices[0]] == "skipped-offline"
    fleet.channel.offline.clear()
    await fleet.engine.device_seen(fleet.devices[0], True, "1.2.0")
    assert fleet.devices[0] in fleet.channel.sent


async def test_rollback_detected_when_device_returns_with_old_version(fleet: Fleet) -> None:
    rollout_id = await fleet.start(target={"device_ids": fleet.devices[:1]})
    device_id = fleet.devices[0]
    await fleet.engine.report(Report(device_id, FwState.UPDATING, "1.3.0", 100))
    await fleet.engine.device_seen(device_id, False, None)
    (record,) = fleet.engine.records[rollout_id]
    assert str(record.state) == "rebooting"
    await fleet.engine.device_seen(device_id, True, "1.2.0")
    assert str(record.state) == "rolled_back"


async def test_update_entity_services(fleet: Fleet, clock_hub: Hub) -> None:
    entity = clock_hub.data[RUNTIME].entities[fleet.devices[0]]
    state = clock_hub.states.get(entity.entity_id)
    assert state is not None
    assert state.state == "on"
    assert state.attributes["latest_version"] == "1.3.0"
    assert state.attributes["device_class"] == "firmware"
    await clock_hub.services.call("update", "skip", {"entity_id": entity.entity_id})
    skipped = clock_hub.states.get(entity.entity_id)
    assert skipped is not None
    assert (skipped.state, skipped.attributes["skipped_version"]) == ("off", "1.3.0")
    await clock_hub.services.call("update", "clear_skipped", {"entity_id": entity.entity_id})
    assert clock_hub.states.is_state(entity.entity_id, "on")
    await clock_hub.services.call("update", "install", {"entity_id": entity.entity_id})
    assert fleet.channel.sent == [fleet.devices[0]]
    state = clock_hub.states.get(entity.entity_id)
    assert state is not None
    assert state.attributes["in_progress"] is True
    assert state.attributes["update_percentage"] == 0.0
    with pytest.raises(ServiceValidationError, match="already in progress"):
        await clock_hub.services.call("update", "install", {"entity_id": entity.entity_id})
    await fleet.succeed(fleet.devices[0])
    await clock_hub.device_registry.update(fleet.devices[0], sw_version="1.3.0")
    clock_hub.data[RUNTIME]._refresh(fleet.devices[0])
    with pytest.raises(ServiceValidationError, match="no update available"):
        await clock_hub.services.call("update", "install", {"entity_id": entity.entity_id})


async def test_devices_without_a_channel_trip_the_threshold_at_once(
    fleet: Fleet, clock_hub: Hub
) -> None:
    for index in range(2):
        device = await clock_hub.device_registry.register(
            "unreachable", f"Loose node {index}", [("mac", f"02:00:00:00:02:{index:02x}")],
            model=MODEL, sw_version="1.2.0",
        )  # fmt: skip
        fleet.devices.append(device.id)
    rollout_id = await fleet.start(target={"device_ids": fleet.devices[-2:]}, canary=2)
    rollout = fleet.engine.rollouts[rollout_id]
    states = {str(r.state) for r in fleet.engine.records[rollout_id]}
    assert states == {"failed"}
    assert rollout.status is RolloutStatus.PAUSED
