"""The rollout engine: records per device, group gates, thresholds, dispatch and reports.

Every change (a report, a device coming or going, an operator action, a soak timer) ends in
:meth:`RolloutEngine.advance`, which first evaluates the rollout (error threshold → pause or
abort; success threshold → next group, manual gate or soak; all done → finished) and then
sends commands to waiting devices of the started groups, at most ``concurrency`` of them
downloading at once. Offline devices wait as ``skipped-offline`` and are served on return; a
device notified or downloading that stays silent past the policy's stall timeout fails with
``timeout`` (retried up to ``max_attempts``), so it does not hold its slot for ever.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from hub.api import DeviceEntry, Hub

from .delivery import Delivery, NoChannel, OtaCommand
from .models import (
    ACTIVE,
    DOWNLOADING,
    FAILURES,
    OPEN_STATUSES,
    WAITING,
    FwState,
    Image,
    Policy,
    Record,
    RecordState,
    Rollout,
    RolloutStatus,
)
from .store import OtaStore
from .tokens import TokenSigner

_LOGGER = logging.getLogger(__name__)
SYSTEM_USER = "system"
STALL_SWEEP_S = 30.0
"""How often records are checked for devices silent past their rollout's stall timeout."""
_SWEEP = "stall-sweep"  # its key among the timers (rollout ids are UUIDs)


class RolloutError(Exception):
    """An operation the rollout's state does not allow."""


@dataclass(frozen=True, slots=True)
class Report:
    """A device's progress report (ThingsBoard ``fw_state`` vocabulary)."""

    device_id: str
    fw_state: FwState
    version: str
    progress: int = 0
    error: str | None = None
    detail: str | None = None


Auditor = Callable[[str, str, str, Mapping[str, object]], None]


class RolloutEngine:
    """Owns rollouts and records in memory; persists every change through the store."""

    def __init__(
        self,
        hub: Hub,
        store: OtaStore,
        delivery: Delivery,
        tokens: TokenSigner,
        base_url: str,
        audit: Auditor,
    ) -> None:
        self._hub = hub
        self._store = store
        self._delivery = delivery
        self._tokens = tokens
        self.base_url = base_url.rstrip("/")
        self._audit = audit
        self._images: dict[str, Image] = {}
        self.rollouts: dict[str, Rollout] = {}
        self.records: dict[str, list[Record]] = {}
        self.online: dict[str, bool] = {}
        self._lock = asyncio.Lock()
        self._timers: dict[str, Callable[[], None]] = {}
        self._stopped = False
        self.on_record_change: Callable[[Record], None] = lambda record: None

    # -- loading -----------------------------------------------------------------------------
    def load(self, images: Iterable[Image], rollouts: list[Rollout], records: list[Record]) -> None:
        """Take what the database holds (soak timers restart from their stored end)."""
        self._images = {i.id: i for i in images}
        self.rollouts = {r.id: r for r in rollouts}
        for record in records:
            self.records.setdefault(record.rollout_id, []).append(record)
        for rollout in rollouts:
            if rollout.status is RolloutStatus.SOAKING and rollout.soak_until is not None:
                self._arm_soak(rollout)
        self._arm_sweep()

    def image_added(self, image: Image) -> None:
        """Make a new image known."""
        self._images[image.id] = image

    def image_removed(self, image_id: str) -> None:
        """Forget a deleted image."""
        self._images.pop(image_id, None)

    def stop(self) -> None:
        """Cancel soak timers and the stall sweep."""
        self._stopped = True
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()

    # -- queries -----------------------------------------------------------------------------
    def image_in_use(self, image_id: str) -> bool:
        """True while an open rollout uses the image."""
        return any(
            r.image_id == image_id and r.status in OPEN_STATUSES for r in self.rollouts.values()
        )

    def rollout_for_token(self, token: str) -> Rollout | None:
        """The open rollout a download token belongs to."""
        rollout_id = self._tokens.rollout_of(token)
        rollout = None if rollout_id is None else self.rollouts.get(rollout_id)
        if rollout is None or rollout.status is RolloutStatus.ABORTED:
            return None
        return rollout

    def device_records(self, device_id: str) -> list[Record]:
        """Every record of a device, oldest rollout first."""
        found = [r for recs in self.records.values() for r in recs if r.device_id == device_id]
        return sorted(found, key=lambda r: self.rollouts[r.rollout_id].created_at)

    def current_record(self, device_id: str) -> Record | None:
        """The device's record in an open rollout, else its latest one."""
        records = self.device_records(device_id)
        for record in reversed(records):
            if self.rollouts[record.rollout_id].status in OPEN_STATUSES and not record.terminal:
                return record
        return records[-1] if records else None

    def summary(self, rollout: Rollout) -> dict[str, object]:
        """The rollout with per-group and per-state counts."""
        records = self.records.get(rollout.id, [])
        groups = []
        for index, group in enumerate(rollout.groups):
            counts: dict[str, int] = {}
            for record in records:
                if record.group == index:
                    counts[str(record.state)] = counts.get(str(record.state), 0) + 1
            groups.append({"size": len(group), "states": counts})
        return {**rollout.as_dict(), "group_stats": groups}

    # -- creating and steering ---------------------------------------------------------------
    async def create(
        self,
        image: Image,
        name: str,
        groups: list[list[str]],
        policy: Policy,
        devices: dict[str, DeviceEntry],
        user: str,
    ) -> Rollout:
        """Start a rollout of ``image`` to ``groups`` of device ids."""
        busy = {r.device_id for recs in self._open_records() for r in recs if not r.terminal}
        clash = sorted(busy & {d for group in groups for d in group})
        if clash:
            raise RolloutError(f"devices already in an open rollout: {', '.join(clash[:5])}")
        now = self._hub.clock.time()
        rollout = Rollout(
            id=uuid.uuid4().hex,
            name=name,
            image_id=image.id,
            policy=policy,
            groups=groups,
            created_by=user,
            created_at=now,
            updated_at=now,
        )
        records = []
        for index, group in enumerate(groups):
            for device_id in group:
                installed = devices[device_id].sw_version
                record = Record(
                    id=uuid.uuid4().hex,
                    rollout_id=rollout.id,
                    device_id=device_id,
                    group=index,
                    from_version=installed,
                    target_version=image.version,
                    max_attempts=policy.max_attempts,
                    updated_at=now,
                )
                if installed == image.version:
                    record.state = RecordState.SUCCEEDED
                    record.progress = 100
                    record.finished_at = now
                records.append(record)
        self.rollouts[rollout.id] = rollout
        self.records[rollout.id] = records
        await self._store.save(rollout, records)
        self._audit(user, "rollout_started", rollout.id, {"image_id": image.id, "name": name})
        for record in records:
            self.on_record_change(record)
        await self.advance(rollout)
        return rollout

    async def pause(self, rollout: Rollout, user: str) -> None:
        """Stop sending new commands; running updates finish."""
        if rollout.status not in OPEN_STATUSES or rollout.status is RolloutStatus.PAUSED:
            raise RolloutError(f"a {rollout.status} rollout cannot be paused")
        self._cancel_soak(rollout)
        rollout.soak_until = None
        await self._set_status(rollout, RolloutStatus.PAUSED, f"paused by {user}")
        self._audit(user, "rollout_paused", rollout.id, {})

    async def resume(self, rollout: Rollout, user: str) -> None:
        """Continue a paused rollout (a group that tripped its error threshold stays tripped)."""
        if rollout.status is not RolloutStatus.PAUSED:
            raise RolloutError(f"a {rollout.status} rollout cannot be resumed")
        await self._set_status(rollout, RolloutStatus.RUNNING, None)
        self._audit(user, "rollout_resumed", rollout.id, {})
        await self.advance(rollout)

    async def approve(self, rollout: Rollout, user: str) -> None:
        """Open the manual gate: start the next group."""
        if rollout.status is not RolloutStatus.WAITING_APPROVAL:
            raise RolloutError(f"a {rollout.status} rollout is not waiting for approval")
        rollout.current_group += 1
        await self._set_status(rollout, RolloutStatus.RUNNING, None)
        self._audit(user, "rollout_approved", rollout.id, {"group": rollout.current_group})
        await self.advance(rollout)

    async def abort(self, rollout: Rollout, user: str, reason: str | None = None) -> None:
        """End the rollout: waiting devices fail with ``aborted``; tokens stop working."""
        if rollout.status not in OPEN_STATUSES:
            raise RolloutError(f"a {rollout.status} rollout cannot be aborted")
        self._cancel_soak(rollout)
        now = self._hub.clock.time()
        changed = []
        for record in self.records.get(rollout.id, []):
            if record.state in WAITING:
                record.fail("aborted", "the rollout was aborted", now)
                changed.append(record)
        rollout.status = RolloutStatus.ABORTED
        rollout.status_reason = reason or f"aborted by {user}"
        rollout.updated_at = now
        await self._store.save(rollout, changed)
        self._audit(user, "rollout_aborted", rollout.id, {"reason": rollout.status_reason})
        for record in changed:
            self.on_record_change(record)

    async def _set_status(
        self, rollout: Rollout, status: RolloutStatus, reason: str | None
    ) -> None:
        rollout.status = status
        rollout.status_reason = reason
        rollout.updated_at = self._hub.clock.time()
        await self._store.save(rollout, [])

    # -- device events -----------------------------------------------------------------------
    async def report(self, report: Report) -> bool:
        """Apply a device's report to its current record; False when none matches."""
        for rollout, record in self._records_of(report.device_id):
            if record.target_version != report.version or record.terminal:
                continue
            image = self._images.get(rollout.image_id)
            size = image.size if image is not None else 0
            now = self._hub.clock.time()
            if record.report(
                report.fw_state, report.progress, size, now, report.error, report.detail
            ):
                await self._store.save(None, [record])
                self.on_record_change(record)
                await self.advance(rollout)
            return True
        return False

    async def device_seen(self, device_id: str, online: bool, version: str | None) -> None:
        """A device connected (running ``version``) or went away."""
        self.online[device_id] = online
        now = self._hub.clock.time()
        for rollout, record in self._records_of(device_id):
            changed = False
            if online:
                changed = record.seen(version, now)
            elif record.state is RecordState.INSTALLING:
                record.went_offline(now)
                changed = True
            elif record.state in DOWNLOADING or record.state in (
                RecordState.DOWNLOADED,
                RecordState.VERIFIED,
            ):
                record.fail("download", "the device went offline during the update", now)
                if record.state is RecordState.PENDING:
                    record.state = RecordState.SKIPPED_OFFLINE
                changed = True
            if changed:
                await self._store.save(None, [record])
                self.on_record_change(record)
            if online or changed:
                await self.advance(rollout)

    def _records_of(self, device_id: str) -> list[tuple[Rollout, Record]]:
        found = []
        for rollout_id, records in self.records.items():
            rollout = self.rollouts[rollout_id]
            for record in records:
                if record.device_id == device_id:
                    found.append((rollout, record))
        found.sort(key=lambda pair: pair[0].created_at, reverse=True)
        return found

    def _open_records(self) -> list[list[Record]]:
        return [
            self.records.get(r.id, []) for r in self.rollouts.values() if r.status in OPEN_STATUSES
        ]

    # -- the engine --------------------------------------------------------------------------
    async def advance(self, rollout: Rollout) -> None:
        """Evaluate thresholds and gates, then dispatch to waiting devices."""
        async with self._lock:
            if rollout.status not in OPEN_STATUSES:
                return
            # Dispatching can itself fail devices (no channel, removed): evaluate again after
            # each round that did, so thresholds trip at once rather than on the next report.
            while True:
                await self._evaluate(rollout)
                if rollout.status not in (
                    RolloutStatus.RUNNING,
                    RolloutStatus.SOAKING,
                    RolloutStatus.WAITING_APPROVAL,
                ):
                    return
                if not await self._dispatch(rollout):
                    return

    def _group_counts(self, rollout: Rollout, group: int) -> tuple[int, int, int]:
        size = successes = failures = 0
        for record in self.records.get(rollout.id, []):
            if record.group == group:
                size += 1
                successes += record.state is RecordState.SUCCEEDED
                failures += record.state in FAILURES
        return size, successes, failures

    async def _evaluate(self, rollout: Rollout) -> None:
        policy = rollout.policy
        for group in range(rollout.current_group + 1):
            size, _, failures = self._group_counts(rollout, group)
            if group in rollout.tripped_groups or not policy.errors_exceeded(failures, size):
                continue
            rollout.tripped_groups.append(group)
            reason = f"group {group}: {failures} of {size} devices failed"
            if policy.error_action == "abort":
                await self.abort(rollout, SYSTEM_USER, reason)
                return
            self._cancel_soak(rollout)
            await self._set_status(rollout, RolloutStatus.PAUSED, reason)
            self._audit(SYSTEM_USER, "rollout_paused", rollout.id, {"reason": reason})
            return
        while rollout.status is RolloutStatus.RUNNING:
            group = rollout.current_group
            size, successes, _ = self._group_counts(rollout, group)
            if group + 1 >= len(rollout.groups) or not policy.succeeded(successes, size):
                break
            if policy.manual_gate:
                await self._set_status(
                    rollout, RolloutStatus.WAITING_APPROVAL, f"group {group} done"
                )
            elif policy.soak_s > 0:
                rollout.soak_until = self._hub.clock.time() + policy.soak_s
                await self._set_status(rollout, RolloutStatus.SOAKING, f"group {group} soaking")
                self._arm_soak(rollout)
            else:
                rollout.current_group += 1
                rollout.updated_at = self._hub.clock.time()
                await self._store.save(rollout, [])
        records = self.records.get(rollout.id, [])
        if all(r.terminal for r in records) and rollout.current_group + 1 >= len(rollout.groups):
            await self._set_status(rollout, RolloutStatus.FINISHED, None)
            self._audit(SYSTEM_USER, "rollout_finished", rollout.id, {})

    def _arm_soak(self, rollout: Rollout) -> None:
        assert rollout.soak_until is not None
        rollout_id = rollout.id

        def fire() -> None:
            self._timers.pop(rollout_id, None)
            self._hub.create_task(self._soak_done(rollout_id), name=f"ota-soak:{rollout_id}")

        self._cancel_soak(rollout)
        self._timers[rollout_id] = self._hub.clock.call_at(rollout.soak_until, fire)

    def _arm_sweep(self) -> None:
        if self._stopped or _SWEEP in self._timers:
            return

        def fire() -> None:
            self._timers.pop(_SWEEP, None)
            self._hub.create_task(self._sweep_stalled(), name="ota-stall-sweep")

        self._timers[_SWEEP] = self._hub.clock.call_later(STALL_SWEEP_S, fire)

    async def _sweep_stalled(self) -> None:
        """Fail records whose device was notified or downloading but silent too long."""
        try:
            now = self._hub.clock.time()
            for rollout in list(self.rollouts.values()):
                if rollout.status not in OPEN_STATUSES:
                    continue
                limit = rollout.policy.stall_timeout_s
                stalled = [
                    r
                    for r in self.records.get(rollout.id, [])
                    if r.state in DOWNLOADING and now - r.updated_at >= limit
                ]
                if not stalled:
                    continue
                for record in stalled:
                    record.fail("timeout", f"no report from the device for {limit:.0f} s", now)
                await self._store.save(None, stalled)
                for record in stalled:
                    self.on_record_change(record)
                await self.advance(rollout)
        finally:
            self._arm_sweep()

    def _cancel_soak(self, rollout: Rollout) -> None:
        cancel = self._timers.pop(rollout.id, None)
        if cancel is not None:
            cancel()

    async def _soak_done(self, rollout_id: str) -> None:
        rollout = self.rollouts.get(rollout_id)
        if rollout is None or rollout.status is not RolloutStatus.SOAKING:
            return
        rollout.current_group += 1
        rollout.soak_until = None
        await self._set_status(rollout, RolloutStatus.RUNNING, None)
        await self.advance(rollout)

    async def _dispatch(self, rollout: Rollout) -> int:
        """Notify waiting devices; return how many failed while being notified."""
        image = self._images.get(rollout.image_id)
        if image is None:
            return 0
        records = self.records.get(rollout.id, [])
        downloading = sum(1 for r in records if r.state in DOWNLOADING)
        waiting = [r for r in records if r.group <= rollout.current_group and r.state in WAITING]
        waiting.sort(key=lambda r: (r.state is RecordState.SKIPPED_OFFLINE, r.group))
        busy = {r.device_id for recs in self._open_records() for r in recs if r.state in ACTIVE}
        command = OtaCommand(
            url=f"{self.base_url}/api/ota/download/{image.id}?token="
            f"{self._tokens.token(rollout.id)}",
            version=image.version,
            size=image.size,
            sha256=image.sha256,
            signature=image.signature,
        )
        failed = 0
        for record in waiting:
            if downloading >= rollout.policy.concurrency:
                break
            if self.online.get(record.device_id) is False or record.device_id in busy:
                self._mark_offline(record)
                continue
            device = self._hub.device_registry.get(record.device_id)
            if device is None:
                record.fail("removed", "the device was removed", self._hub.clock.time())
                await self._store.save(None, [record])
                failed += 1
                continue
            try:
                sent = await self._delivery.send(device, command)
            except NoChannel as err:
                record.fail("no_channel", str(err), self._hub.clock.time())
                await self._store.save(None, [record])
                self.on_record_change(record)
                failed += 1
                continue
            if not sent:
                self._mark_offline(record)
                await self._store.save(None, [record])
                self.on_record_change(record)
                continue
            record.notify(self._hub.clock.time())
            downloading += 1
            await self._store.save(None, [record])
            self.on_record_change(record)
        return failed

    def _mark_offline(self, record: Record) -> None:
        record.state = RecordState.SKIPPED_OFFLINE
        record.updated_at = self._hub.clock.time()
