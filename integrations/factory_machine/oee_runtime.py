"""Live OEE and analytics sensors: refreshed every ``oee_interval`` from stored data.

Per machine: OEE, availability, performance and quality of the current shift and of the
local day so far; data completeness and uptime of the day; online status from last-seen vs
the reporting interval; deviation of each sensor's rolling mean (from the telemetry window)
from its baseline; and the 0-100 health score.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from hub.api import ALERTS, WINDOW, Hub

from .analytics import (
    BaselineCheck,
    HealthInput,
    SensorCheck,
    deviation_percent,
    health_score,
    is_online,
)
from .entities import OEE_KEYS, MachineEntities
from .oee import OEEResult
from .oee_service import clip, current_shift, day_period, local_day, percent, results_for
from .registry import Machine
from .runtime import FactoryRuntime
from .shifts import Period

_LOGGER = logging.getLogger(__name__)


def _factor(result: OEEResult | None, key: str) -> float | None:
    if result is None:
        return None
    value: float | None = getattr(result, key)
    return percent(value)


class OeeRuntime:
    """Recomputes every machine's OEE and health sensors on a timer."""

    def __init__(self, hub: Hub, runtime: FactoryRuntime, interval: float, rolling: float) -> None:
        self._hub = hub
        self._runtime = runtime
        self._interval = interval
        self._rolling = rolling
        self._cancel: Callable[[], None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopped = False

    def start(self) -> None:
        """Refresh now and then every interval."""
        self._on_timer()

    def _on_timer(self) -> None:
        if self._stopped:
            return
        if self._task is None or self._task.done():
            self._task = self._hub.create_task(self.refresh(), "factory_machine oee")
        self._cancel = self._hub.clock.call_later(self._interval, self._on_timer)

    async def stop(self) -> None:
        """Stop refreshing."""
        self._stopped = True
        if self._cancel is not None:
            self._cancel()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def refresh(self) -> None:
        """Flush pending data, recompute OEE, and publish every machine's sensors."""
        await self._runtime.flush()
        now = self._hub.clock.now().astimezone(UTC)
        machines = self._runtime.registry.machines()
        periods: dict[str, list[Period]] = {}
        for machine in machines:
            day = clip(day_period(machine, local_day(machine, now)), now)
            shift = current_shift(machine, now)
            periods[machine.id] = [day] + ([clip(shift, now)] if shift is not None else [])
        try:
            results = await results_for(self._hub, machines, periods)
        except Exception:
            _LOGGER.exception("Could not compute OEE")
            return
        for machine in machines:
            entities = self._runtime.entities.get(machine.id)
            if entities is None:
                continue
            day_result, *rest = results[machine.id]
            self._publish(machine, entities, day_result, rest[0] if rest else None, now)

    def _publish(
        self,
        machine: Machine,
        entities: MachineEntities,
        day: OEEResult,
        shift: OEEResult | None,
        now: datetime,
    ) -> None:
        for key, _label in OEE_KEYS:
            entities.oee[(key, "day")].publish(_factor(day, key), {"flags": list(day.flags)})
            attrs = None if shift is None else {"shift": shift.period.label}
            entities.oee[(key, "shift")].publish(_factor(shift, key), attrs)
        entities.completeness.publish(percent(day.data_completeness))
        tracker = self._runtime.trackers[machine.id]
        tracker.forget_spans_before(day.period.start.timestamp() - 86_400)
        uptime = tracker.uptime_percent(day.period.start.timestamp(), now.timestamp())
        entities.uptime.publish(None if uptime is None else round(uptime, 1))
        last_seen = (
            None if tracker.last_seen is None else datetime.fromtimestamp(tracker.last_seen, UTC)
        )
        online = is_online(last_seen, now, machine.reporting_interval)
        entities.online.publish(online)
        window = self._hub.data.get(WINDOW)
        sensors: list[SensorCheck] = []
        baselines: list[BaselineCheck] = []
        for spec in machine.sensors:
            latest = tracker.latest.get(spec.name)
            sensor = entities.measurements[spec.name]
            mean: float | None = None
            if window is not None and sensor.added:
                stats = window.stats(
                    sensor.entity_id, now.timestamp() - self._rolling, now.timestamp()
                )
                mean = None if stats is None else stats.mean
            if latest is not None:
                sensor.publish(
                    latest.value,
                    None if mean is None else {"rolling_mean": round(mean, 4)},
                    available=sensor.available,
                )
            sensors.append(
                SensorCheck(
                    spec.name,
                    None if latest is None else latest.value,
                    spec.expected_range[0],
                    spec.expected_range[1],
                )
            )
            if spec.baseline is not None:
                basis = mean if mean is not None else (None if latest is None else latest.value)
                deviation = None if basis is None else deviation_percent(basis, spec.baseline)
                entities.deviations[spec.name].publish(
                    None if deviation is None else round(deviation, 2),
                    {"baseline": spec.baseline},
                )
                if basis is not None:
                    baselines.append(BaselineCheck(spec.name, basis, spec.baseline))
        score = health_score(HealthInput(online, sensors, baselines, self._firing_alerts(entities)))
        entities.health.publish(score.score, {k: round(v, 3) for k, v in score.components.items()})

    def _firing_alerts(self, entities: MachineEntities) -> int:
        manager = self._hub.data.get(ALERTS)
        if manager is None:
            return 0
        ids = [e.entity_id for e in entities.all() if e.added]
        return sum(1 for alert in manager.runtimes() if alert.firing and any(map(alert.reads, ids)))
