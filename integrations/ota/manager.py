"""The OTA manager: repository, rollout engine, update entities and the audit log, wired up.

Channel integrations talk to it only through the bus (``ota_report``, ``ota_device_seen``)
and their ``<domain>.ota_send`` service, so neither side imports the other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from hub.api import (
    EVENT_DEVICE_REGISTERED,
    EVENT_DEVICE_REMOVED,
    DeviceEntry,
    Event,
    Hub,
    ServiceValidationError,
    cancel_and_wait,
    version_is_newer,
)

from . import const as c
from .audit import AuditLog
from .engine import Report, RolloutEngine, RolloutError
from .entity import OtaUpdateEntity
from .models import DEFAULT_STALL_TIMEOUT, FwState, Image, Policy, Record, RecordState, Rollout
from .planning import select_targets, split_groups
from .repository import Repository
from .store import OtaStore

_LOGGER = logging.getLogger(__name__)


class OtaManager:
    """Everything the OTA integration keeps while it is set up."""

    def __init__(
        self,
        hub: Hub,
        config: Mapping[str, Any],
        store: OtaStore,
        repository: Repository,
        engine: RolloutEngine,
        audit: AuditLog,
    ) -> None:
        self.hub = hub
        self.config = config
        self.store = store
        self.repository = repository
        self.engine = engine
        self.audit = audit
        self.entities: dict[str, OtaUpdateEntity] = {}
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self._unsubs: list[Any] = []
        self._worker: asyncio.Task[None] | None = None
        repository.on_change = self._model_changed
        engine.on_record_change = self._record_changed

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Load state, create entities and listen for device events."""
        images, rollouts, records = await self.store.load()
        self.repository.load(images)
        self.engine.load(images, rollouts, records)
        for device in self.hub.device_registry.devices():
            await self._add_entity(device)
        for event_type in (
            c.EVENT_OTA_REPORT,
            c.EVENT_OTA_DEVICE_SEEN,
            EVENT_DEVICE_REGISTERED,
            EVENT_DEVICE_REMOVED,
        ):
            self._unsubs.append(self.hub.bus.listen(event_type, self._queue.put_nowait))
        self._worker = self.hub.create_task(self._work(), name="ota-events")

    async def stop(self) -> None:
        """Stop listening, cancel timers and the event worker."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        self.engine.stop()
        if self._worker is not None:
            await cancel_and_wait(self._worker)
        await self.audit.flush()

    async def _work(self) -> None:
        """Handle device events one at a time, in the order they were fired."""
        while True:
            event = await self._queue.get()
            try:
                await self._handle(event)
            except Exception:
                _LOGGER.exception("OTA: error handling %s", event.event_type)

    async def _handle(self, event: Event) -> None:
        data = event.data
        if event.event_type == c.EVENT_OTA_REPORT:
            await self.engine.report(
                Report(
                    device_id=str(data["device_id"]),
                    fw_state=FwState(data["fw_state"]),
                    version=str(data["version"]),
                    progress=int(data.get("progress") or 0),
                    error=data.get("error"),
                    detail=data.get("detail"),
                )
            )
        elif event.event_type == c.EVENT_OTA_DEVICE_SEEN:
            device_id = str(data["device_id"])
            await self.engine.device_seen(device_id, bool(data["online"]), data.get("version"))
            self._refresh(device_id)
        elif event.event_type == EVENT_DEVICE_REGISTERED:
            device = self.hub.device_registry.get(str(data["device_id"]))
            if device is not None:
                await self._add_entity(device)
        elif event.event_type == EVENT_DEVICE_REMOVED:
            self.entities.pop(str(data["device_id"]), None)

    # -- entities ----------------------------------------------------------------------------
    def latest_image(self, model: str | None) -> Image | None:
        """The highest version stored for ``model``."""
        best: Image | None = None
        for image in self.repository.images(model or ""):
            if best is None or version_is_newer(image.version, best.version):
                best = image
        return best

    async def _add_entity(self, device: DeviceEntry) -> None:
        if device.model not in self.config[c.CONF_MODELS] or device.id in self.entities:
            return
        entity = OtaUpdateEntity(self, device)
        entity.refresh(
            device,
            self.latest_image(device.model),
            self.engine.current_record(device.id),
            write=False,
        )
        self.entities[device.id] = entity
        await self.hub.entities.add(c.DOMAIN, [entity])

    def _refresh(self, device_id: str) -> None:
        entity = self.entities.get(device_id)
        device = self.hub.device_registry.get(device_id)
        if entity is None or device is None or not entity.added:
            return
        entity.refresh(
            device, self.latest_image(device.model), self.engine.current_record(device_id)
        )

    def _model_changed(self, model: str) -> None:
        for device_id in list(self.entities):
            device = self.hub.device_registry.get(device_id)
            if device is not None and device.model == model:
                self._refresh(device_id)

    def _record_changed(self, record: Record) -> None:
        self._refresh(record.device_id)
        device = self.hub.device_registry.get(record.device_id)
        if (
            device is not None
            and record.state is RecordState.SUCCEEDED
            and record.attempts > 0
            and device.sw_version != record.target_version
        ):
            self.hub.create_task(
                self._set_version(device.id, record.target_version), name="ota-sw-version"
            )

    async def _set_version(self, device_id: str, version: str) -> None:
        await self.hub.device_registry.update(device_id, sw_version=version)
        self._refresh(device_id)

    async def remember_skipped(self, device_id: str, version: str | None) -> None:
        """Keep a skipped version with the device so it survives restarts."""
        device = self.hub.device_registry.get(device_id)
        if device is not None:
            data = {**device.data, "ota_skipped_version": version}
            await self.hub.device_registry.update(device_id, data=data)

    # -- rollouts ----------------------------------------------------------------------------
    def policy(self, spec: Mapping[str, Any]) -> Policy:
        """A policy from a validated rollout request, with the section's defaults."""
        kind, value = spec["error_threshold"]
        return Policy(
            success_threshold=spec["success_threshold"],
            error_kind=kind,
            error_value=value,
            error_action=spec["error_action"],
            manual_gate=spec["manual_gate"],
            soak_s=spec["soak"],
            concurrency=spec.get("concurrency", self.config[c.CONF_CONCURRENCY]),
            max_attempts=spec.get("max_attempts", self.config[c.CONF_MAX_ATTEMPTS]),
            stall_timeout_s=spec.get("stall_timeout", DEFAULT_STALL_TIMEOUT),
        )

    async def start_rollout(self, spec: Mapping[str, Any], user: str) -> Rollout:
        """Create a rollout from a validated request (``ROLLOUT_SCHEMA``)."""
        image = self.repository.get(spec["image_id"])
        if image is None:
            raise RolloutError(f"image {spec['image_id']} not found")
        target = spec["target"]
        devices = select_targets(
            self.hub.device_registry.devices(),
            model=image.model,
            area=target.get("area"),
            device_ids=target.get("device_ids"),
            percentage=target["percentage"],
        )
        if not devices:
            raise RolloutError(f"no device of model {image.model} matches the target")
        groups = split_groups([d.id for d in devices], spec["canary"], spec["groups"])
        name = spec.get("name") or f"{image.model} {image.version}"
        return await self.engine.create(
            image, name, groups, self.policy(spec), {d.id: d for d in devices}, user
        )

    async def install(self, device_id: str, version: str | None, user: str = "service") -> None:
        """``update.install`` on a device: a rollout of one device."""
        device = self.hub.device_registry.get(device_id)
        if device is None:
            raise ServiceValidationError(f"device {device_id} not found")
        image = (
            self.latest_image(device.model)
            if version is None
            else self.repository.find(device.model or "", version)
        )
        if image is None:
            raise ServiceValidationError(f"no image {version or ''} stored for {device.model}")
        spec = {
            "image_id": image.id,
            "target": {"device_ids": [device_id], "percentage": 100.0},
            "canary": ("count", 0.0),
            "groups": [100.0],
            "success_threshold": 100.0,
            "error_threshold": ("count", 1.0),
            "error_action": "abort",
            "manual_gate": False,
            "soak": 0.0,
            "name": f"install {image.version} on {device.name}",
        }
        try:
            await self.start_rollout(spec, user)
        except RolloutError as err:
            raise ServiceValidationError(str(err)) from err

    def devices(self) -> list[dict[str, Any]]:
        """Every device with OTA settings and its current record."""
        out = []
        for device in self.hub.device_registry.devices():
            if device.model not in self.config[c.CONF_MODELS]:
                continue
            record = self.engine.current_record(device.id)
            latest = self.latest_image(device.model)
            out.append(
                {
                    "device_id": device.id,
                    "name": device.name,
                    "model": device.model,
                    "installed_version": device.sw_version,
                    "latest_version": latest.version if latest else None,
                    "online": self.engine.online.get(device.id),
                    "record": record.as_dict() if record else None,
                }
            )
        return out
