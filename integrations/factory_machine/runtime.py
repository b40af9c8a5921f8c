"""The running integration: machines, their trackers and entities, ingest, periodic flushes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from hub.api import WINDOW, Base, Hub, HubKey

from .const import CONF_FLUSH_INTERVAL, CONF_INGEST, CONF_MAX_CLOCK_SKEW, DOMAIN
from .entities import MachineEntities, build_entities, run_state_word
from .keys import ApiKeyRow, KeyManager, machine_device
from .payload import RawItem, Reading, validate
from .ratelimit import TokenBuckets
from .registry import FactoryRegistry, Machine
from .store import (
    CounterLastRow,
    CountMinuteRow,
    Pending,
    SensorHourRow,
    StateIntervalRow,
    load_counters,
    write_pending,
)
from .tracker import MachineTracker

_LOGGER = logging.getLogger(__name__)
RUNTIME: HubKey[FactoryRuntime] = HubKey(DOMAIN)
TABLES = [
    Base.metadata.tables[row.__tablename__]
    for row in (StateIntervalRow, CountMinuteRow, SensorHourRow, CounterLastRow, ApiKeyRow)
]


@dataclass(slots=True)
class IngestResult:
    """What happened to each reading of one request."""

    accepted: int = 0
    duplicates: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "refused": self.refused,
            "warnings": self.warnings,
        }


class FactoryRuntime:
    """Owns the machines' trackers and entities and feeds them."""

    def __init__(self, hub: Hub, config: dict[str, Any], registry: FactoryRegistry) -> None:
        self.hub = hub
        self.config = config
        self.registry = registry
        ingest = config[CONF_INGEST]
        self.max_skew: float = ingest[CONF_MAX_CLOCK_SKEW]
        self.trackers = {
            m.id: MachineTracker(m, ingest["dedupe_size"]) for m in registry.machines()
        }
        self.entities: dict[str, MachineEntities] = {}
        self.keys = KeyManager(hub)
        self.buckets = TokenBuckets(ingest["rate"], ingest["burst"])
        self.max_batch: int = ingest["max_batch"]
        self._flush_lock = asyncio.Lock()
        self._cancel_timer: Callable[[], None] | None = None
        self._flush_task: asyncio.Task[None] | None = None
        self._stopped = False

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        """Create tables, restore counters, register devices and entities, start flushing."""

        def prepare(session: Session) -> dict[tuple[str, str], tuple[float, int]]:
            Base.metadata.create_all(session.get_bind(), tables=TABLES)
            return load_counters(session)

        counters = await self.hub.db.run(prepare)
        for (machine_id, counter), value in counters.items():
            tracker = self.trackers.get(machine_id)
            if tracker is not None:
                tracker.counters[counter] = value
        for machine in self.registry.machines():
            device = await machine_device(self.hub, machine.id, machine.name)
            entities = build_entities(machine)
            entities.set_device(device.id)
            await self.hub.entities.add(DOMAIN, entities.all())
            self.entities[machine.id] = entities
            entities.online.publish(False)
        self._schedule()

    def _schedule(self) -> None:
        if self._stopped:
            return
        self._cancel_timer = self.hub.clock.call_later(
            self.config[CONF_FLUSH_INTERVAL], self._on_timer
        )

    def _on_timer(self) -> None:
        if self._flush_task is None or self._flush_task.done():
            self._flush_task = self.hub.create_task(self.flush(), "factory_machine flush")
        self._schedule()

    async def stop(self) -> None:
        """Stop the timer and write what is pending."""
        self._stopped = True
        if self._cancel_timer is not None:
            self._cancel_timer()
        if self._flush_task is not None:
            await asyncio.gather(self._flush_task, return_exceptions=True)
        await self.flush()

    # -- ingest ----------------------------------------------------------------------------
    def ingest(self, machine: Machine, items: Sequence[RawItem]) -> IngestResult:
        """Validate and apply readings of one machine; publish its live entities."""
        now = self.hub.clock.time()
        tracker = self.trackers[machine.id]
        result = IngestResult()
        applied: list[Reading] = []
        for item in items:
            checked = validate(item, machine, now)
            if isinstance(checked, list):
                result.refused.append(
                    {"index": item.index, "errors": [e.as_dict() for e in checked]}
                )
                continue
            skew = checked.ts - now
            if abs(skew) > self.max_skew:
                result.warnings.append(
                    {
                        "index": item.index,
                        "code": "clock_skew",
                        "message": f"timestamp is {skew:+.0f} s from the hub's clock",
                    }
                )
            if tracker.apply(checked):
                result.accepted += 1
                applied.append(checked)
            else:
                result.duplicates += 1
        if applied:
            self.publish_live(machine, applied)
        return result

    def publish_live(self, machine: Machine, applied: Sequence[Reading]) -> None:
        """Write the newest values after a batch (one state write per entity)."""
        entities = self.entities.get(machine.id)
        if entities is None:
            return
        tracker = self.trackers[machine.id]
        window = self.hub.data.get(WINDOW)
        for name, sensor in entities.measurements.items():
            latest = tracker.latest.get(name)
            if latest is None:
                continue
            if window is not None and sensor.added:
                points = [(r.ts, r.sensors[name]) for r in applied if name in r.sensors]
                try:
                    window.add_many(sensor.entity_id, points)
                except ValueError:
                    _LOGGER.debug("Value of %s does not fit the telemetry window", name)
            sensor.publish(latest.value)
        code = tracker.state_code
        if code is not None:
            entities.run_state.publish(run_state_word(code), {"state_code": code})
        if tracker.counters or tracker.total_count:
            entities.total.publish(tracker.total_count)
            entities.rejects.publish(tracker.reject_count)
        entities.online.publish(True)

    def set_unavailable(self, machine: Machine, available: bool) -> None:
        """Mark a machine's live entities (un)available (a Modbus PLC that went away)."""
        entities = self.entities.get(machine.id)
        if entities is None:
            return
        for sensor in [*entities.measurements.values(), entities.run_state]:
            sensor.mark_available(available)
        if not available:
            entities.online.publish(False)

    # -- persistence -----------------------------------------------------------------------
    async def flush(self) -> None:
        """Write everything pending to the database (serialised)."""
        async with self._flush_lock:
            merged = Pending.empty()
            for tracker in self.trackers.values():
                pending = tracker.take_pending()
                merged.intervals.update(pending.intervals)
                merged.counts.update(pending.counts)
                merged.sensors.update(pending.sensors)
                merged.counters.update(pending.counters)
            if merged:
                await self.hub.db.run(lambda session: write_pending(session, merged))
            await self.keys.flush_last_used()
