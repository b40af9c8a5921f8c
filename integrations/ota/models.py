"""The OTA data model: images, rollouts and per-device records, with their state rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class RecordState(StrEnum):
    """Where one device's update stands (DOMAIN §4)."""

    PENDING = "pending"
    NOTIFIED = "notified"
    DOWNLOADING = "downloading"
    DOWNLOADED = "downloaded"
    VERIFIED = "verified"
    INSTALLING = "installing"
    REBOOTING = "rebooting"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    ROLLED_BACK = "rolled_back"
    SKIPPED_OFFLINE = "skipped-offline"


class FwState(StrEnum):
    """What devices report: ThingsBoard's ``fw_state`` vocabulary."""

    DOWNLOADING = "DOWNLOADING"
    DOWNLOADED = "DOWNLOADED"
    VERIFIED = "VERIFIED"
    UPDATING = "UPDATING"
    UPDATED = "UPDATED"
    FAILED = "FAILED"


FW_TO_RECORD: dict[FwState, RecordState] = {
    FwState.DOWNLOADING: RecordState.DOWNLOADING,
    FwState.DOWNLOADED: RecordState.DOWNLOADED,
    FwState.VERIFIED: RecordState.VERIFIED,
    FwState.UPDATING: RecordState.INSTALLING,
    FwState.UPDATED: RecordState.SUCCEEDED,
    FwState.FAILED: RecordState.FAILED,
}

WAITING = frozenset({RecordState.PENDING, RecordState.SKIPPED_OFFLINE})
"""Not started yet (offline devices count here, not as failures)."""
DOWNLOADING = frozenset({RecordState.NOTIFIED, RecordState.DOWNLOADING})
"""Count against the rollout's concurrency limit."""
ACTIVE = frozenset(
    {
        RecordState.NOTIFIED,
        RecordState.DOWNLOADING,
        RecordState.DOWNLOADED,
        RecordState.VERIFIED,
        RecordState.INSTALLING,
        RecordState.REBOOTING,
    }
)
FAILURES = frozenset({RecordState.FAILED, RecordState.ROLLED_BACK})
TERMINAL = FAILURES | {RecordState.SUCCEEDED}
RETRYABLE_ERRORS = frozenset({"download", "timeout"})
"""Error codes worth another attempt; a bad checksum or signature will not get better."""

_ORDER = [
    RecordState.NOTIFIED,
    RecordState.DOWNLOADING,
    RecordState.DOWNLOADED,
    RecordState.VERIFIED,
    RecordState.INSTALLING,
    RecordState.REBOOTING,
]


class RolloutStatus(StrEnum):
    """Life of a rollout."""

    RUNNING = "running"
    PAUSED = "paused"
    WAITING_APPROVAL = "waiting_approval"
    SOAKING = "soaking"
    FINISHED = "finished"
    ABORTED = "aborted"


OPEN_STATUSES = frozenset(
    {
        RolloutStatus.RUNNING,
        RolloutStatus.PAUSED,
        RolloutStatus.WAITING_APPROVAL,
        RolloutStatus.SOAKING,
    }
)


@dataclass(frozen=True, slots=True)
class Image:
    """A stored firmware image."""

    id: str
    model: str
    version: str
    sha256: str
    size: int
    signature: str
    format: str
    project_name: str | None
    idf_version: str | None
    release_notes: str
    filename: str
    uploaded_by: str
    uploaded_at: float

    def as_dict(self) -> dict[str, Any]:
        """JSON form for the API (without the storage file name)."""
        data = asdict(self)
        data.pop("filename")
        return data


DEFAULT_STALL_TIMEOUT = 1800.0
"""Seconds a notified or downloading device may stay silent before its attempt fails."""


@dataclass(frozen=True, slots=True)
class Policy:
    """How a rollout proceeds from group to group (hawkBit-style)."""

    success_threshold: float = 100.0
    error_kind: str = "count"
    error_value: float = 1.0
    error_action: str = "pause"
    manual_gate: bool = False
    soak_s: float = 0.0
    concurrency: int = 10
    max_attempts: int = 3
    stall_timeout_s: float = DEFAULT_STALL_TIMEOUT
    """A notified or downloading device silent this long fails with ``timeout`` (retried)."""

    def errors_exceeded(self, failures: int, size: int) -> bool:
        """True when ``failures`` of a group of ``size`` reach the error threshold."""
        if failures == 0:
            return False
        if self.error_kind == "percent":
            return size > 0 and failures * 100.0 / size >= self.error_value
        return failures >= self.error_value

    def succeeded(self, successes: int, size: int) -> bool:
        """True when ``successes`` of a group of ``size`` reach the success threshold."""
        return size == 0 or successes * 100.0 / size >= self.success_threshold


@dataclass(slots=True)
class Rollout:
    """An image going out to a set of devices, group by group."""

    id: str
    name: str
    image_id: str
    policy: Policy
    groups: list[list[str]]
    status: RolloutStatus = RolloutStatus.RUNNING
    current_group: int = 0
    tripped_groups: list[int] = field(default_factory=list)
    status_reason: str | None = None
    soak_until: float | None = None
    created_by: str = ""
    created_at: float = 0.0
    updated_at: float = 0.0

    def group_of(self, device_id: str) -> int | None:
        """Index of the group holding ``device_id``."""
        for index, group in enumerate(self.groups):
            if device_id in group:
                return index
        return None

    def as_dict(self) -> dict[str, Any]:
        """JSON form for the API."""
        data = asdict(self)
        data["status"] = str(self.status)
        return data


@dataclass(slots=True)
class Record:
    """One device's update within a rollout."""

    id: str
    rollout_id: str
    device_id: str
    group: int
    from_version: str | None
    target_version: str
    state: RecordState = RecordState.PENDING
    progress: int = 0
    attempts: int = 0
    max_attempts: int = 3
    bytes: int = 0
    error_code: str | None = None
    error_text: str | None = None
    started_at: float | None = None
    finished_at: float | None = None
    updated_at: float = 0.0

    @property
    def terminal(self) -> bool:
        """Succeeded, failed or rolled back."""
        return self.state in TERMINAL

    def as_dict(self) -> dict[str, Any]:
        """JSON form for the API."""
        data = asdict(self)
        data["state"] = str(self.state)
        return data

    def notify(self, now: float) -> None:
        """The command went out: a new attempt starts."""
        self.state = RecordState.NOTIFIED
        self.attempts += 1
        self.progress = 0
        self.bytes = 0
        self.error_code = self.error_text = None
        self.started_at = now
        self.finished_at = None
        self.updated_at = now

    def report(
        self,
        fw_state: FwState,
        progress: int,
        size: int,
        now: float,
        error: str | None = None,
        detail: str | None = None,
    ) -> bool:
        """Apply a device report; False when it is stale (out of order or after the end)."""
        if self.terminal or self.state in WAITING:
            return False
        new = FW_TO_RECORD[fw_state]
        if new in _ORDER and self.state in _ORDER and _ORDER.index(new) < _ORDER.index(self.state):
            return False
        self.updated_at = now
        if new is RecordState.FAILED:
            self._fail(error or "unknown", detail or "the device reported a failure", now)
            return True
        self.state = new
        if new is RecordState.SUCCEEDED:
            self.progress = 100
            self.bytes = size
            self.finished_at = now
            return True
        if new in (RecordState.DOWNLOADED, RecordState.VERIFIED, RecordState.INSTALLING):
            progress = 100
        self.progress = max(self.progress, min(max(progress, 0), 100))
        self.bytes = size * self.progress // 100
        return True

    def _fail(self, code: str, text: str, now: float) -> None:
        self.error_code = code
        self.error_text = text[:255]
        self.finished_at = now
        if code == "rolled_back":
            self.state = RecordState.ROLLED_BACK
        elif code in RETRYABLE_ERRORS and self.attempts < self.max_attempts:
            self.state = RecordState.PENDING
        else:
            self.state = RecordState.FAILED

    def fail(self, code: str, text: str, now: float) -> None:
        """Mark a failure found by the hub (timeout, abort, rollback seen on reconnect)."""
        self.updated_at = now
        self._fail(code, text, now)

    def seen(self, version: str | None, now: float) -> bool:
        """The device (re)connected running ``version``; True when that settled the record."""
        if self.state in (RecordState.INSTALLING, RecordState.REBOOTING):
            if version == self.target_version:
                self.state = RecordState.SUCCEEDED
                self.progress = 100
                self.finished_at = self.updated_at = now
                return True
            if version == self.from_version:
                self.fail("rolled_back", f"the device came back running {version}", now)
                return True
        return False

    def went_offline(self, now: float) -> None:
        """The device dropped its connection: while installing that means it reboots."""
        if self.state is RecordState.INSTALLING:
            self.state = RecordState.REBOOTING
            self.updated_at = now
