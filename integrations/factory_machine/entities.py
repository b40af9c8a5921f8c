"""The entities of a machine: its sensors, run state, counters, online status, health and OEE.

Entity ids are ``<platform>.<site>_<area>_<machine>_<key>``, for example
``sensor.plant1_press_p1_temperature`` or ``sensor.plant1_press_p1_oee_shift``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hub.api import BinarySensorEntity, Entity, SensorEntity

from .registry import Machine, SensorSpec
from .states import describe, state_class

Value = float | int | str | None

OEE_KEYS = (
    ("oee", "OEE"),
    ("availability", "availability"),
    ("performance", "performance"),
    ("quality", "quality"),
)
PERIODS = ("shift", "day")


def run_state_word(code: int | None) -> str | None:
    """``running``, ``idle`` or ``down`` for a state code (None: no state yet)."""
    if code is None:
        return None
    klass = state_class(code)
    if klass in (10_000, 20_000):
        return "running"
    if klass == 30_000:
        return "unknown"
    if code == 40_100 or describe(code).loss_class.value in ("performance", "excluded"):
        return "idle"
    return "down"


class FactorySensor(SensorEntity):
    """A machine value published as a sensor; written only when value or attributes change."""

    def __init__(
        self,
        machine: Machine,
        key: str,
        name: str,
        *,
        unit: str | None = None,
        device_class: str | None = None,
        state_class: str | None = "measurement",
        precision: int | None = None,
    ) -> None:
        self._attr_unique_id = f"{machine.id}:{key}"
        self._attr_suggested_object_id = f"{machine.object_prefix}_{key}"
        self._attr_name = f"{machine.name} {name}"
        self._attr_native_unit_of_measurement = unit
        self._attr_device_class = device_class
        self._attr_state_class = state_class
        self._attr_suggested_display_precision = precision
        self._written: tuple[Value, Mapping[str, Any] | None, bool] | None = None
        self.key = key

    def publish(
        self, value: Value, attributes: Mapping[str, Any] | None = None, available: bool = True
    ) -> None:
        """Set the value (and extra attributes) and write the state if anything changed."""
        if not self.added:
            return
        snapshot = (value, attributes, available)
        if snapshot == self._written:
            return
        self._written = snapshot
        self._attr_native_value = value
        self._attr_extra_state_attributes = attributes
        self._attr_available = available
        self.write_state()

    def mark_available(self, available: bool) -> None:
        """Keep the value, change availability (a data source that went away or came back)."""
        value, attributes = (None, None) if self._written is None else self._written[:2]
        self.publish(value, attributes, available)


class FactoryBinarySensor(BinarySensorEntity):
    """A machine flag (online/offline)."""

    def __init__(self, machine: Machine, key: str, name: str, device_class: str) -> None:
        self._attr_unique_id = f"{machine.id}:{key}"
        self._attr_suggested_object_id = f"{machine.object_prefix}_{key}"
        self._attr_name = f"{machine.name} {name}"
        self._attr_device_class = device_class
        self._written: bool | None = None

    def publish(self, value: bool) -> None:
        """Set the flag and write the state if it changed."""
        if not self.added or value == self._written:
            return
        self._written = value
        self._attr_is_on = value
        self.write_state()


@dataclass(slots=True)
class MachineEntities:
    """Every entity of one machine, by role."""

    machine: Machine
    measurements: dict[str, FactorySensor]
    deviations: dict[str, FactorySensor]
    run_state: FactorySensor
    total: FactorySensor
    rejects: FactorySensor
    online: FactoryBinarySensor
    health: FactorySensor
    uptime: FactorySensor
    completeness: FactorySensor
    oee: dict[tuple[str, str], FactorySensor]

    def all(self) -> list[Entity]:
        """Every entity, for registration."""
        entities: list[Entity] = [
            *self.measurements.values(),
            *self.deviations.values(),
            self.run_state,
            self.total,
            self.rejects,
            self.online,
            self.health,
            self.uptime,
            self.completeness,
            *self.oee.values(),
        ]
        return entities

    def set_device(self, device_id: str) -> None:
        """Attach every entity to the machine's device."""
        for entity in self.all():
            entity._attr_device_id = device_id


def _measurement(machine: Machine, spec: SensorSpec) -> FactorySensor:
    return FactorySensor(
        machine,
        spec.name,
        spec.name.replace("_", " "),
        unit=spec.unit,
        device_class=spec.device_class,
    )


def build_entities(machine: Machine) -> MachineEntities:
    """Create (not yet add) the entities of ``machine``."""
    oee = {
        (key, period): FactorySensor(
            machine, f"{key}_{period}", f"{label} ({period})", unit="%", precision=1
        )
        for key, label in OEE_KEYS
        for period in PERIODS
    }
    return MachineEntities(
        machine=machine,
        measurements={s.name: _measurement(machine, s) for s in machine.sensors},
        deviations={
            s.name: FactorySensor(
                machine,
                f"{s.name}_deviation",
                f"{s.name} deviation from baseline",
                unit="%",
                precision=1,
            )
            for s in machine.sensors
            if s.baseline is not None
        },
        run_state=FactorySensor(machine, "run_state", "run state", state_class=None),
        total=FactorySensor(machine, "total_parts", "total parts", state_class="total_increasing"),
        rejects=FactorySensor(machine, "rejects", "rejects", state_class="total_increasing"),
        online=FactoryBinarySensor(machine, "online", "online", "connectivity"),
        health=FactorySensor(machine, "health", "health score", precision=1),
        uptime=FactorySensor(machine, "uptime_day", "uptime (day)", unit="%", precision=1),
        completeness=FactorySensor(
            machine, "data_completeness_day", "data completeness (day)", unit="%", precision=1
        ),
        oee=oee,
    )
