"""Sites, areas and machines built from the validated configuration."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .const import (
    CONF_AREAS,
    CONF_AVAILABILITY,
    CONF_BASELINE,
    CONF_BREAKS,
    CONF_COUNTER_WIDTH,
    CONF_DEVICE_CLASS,
    CONF_END,
    CONF_EXCLUDED,
    CONF_EXPECTED_RANGE,
    CONF_HOLIDAYS,
    CONF_IDEAL_CYCLE_TIME,
    CONF_LOSS_CLASSES,
    CONF_MACHINES,
    CONF_MAX_GAP,
    CONF_MODBUS,
    CONF_NAME,
    CONF_PERFORMANCE,
    CONF_PLANNED_DOWNTIME,
    CONF_REPORTING_INTERVAL,
    CONF_SCHEDULE,
    CONF_SENSORS,
    CONF_SHIFTS,
    CONF_SITES,
    CONF_START,
    CONF_TIME_ZONE,
    CONF_UNIT,
    CONF_UNKNOWN_AS,
    CONF_VALID_RANGE,
    CONF_WEEKDAYS,
)
from .counters import CounterWidth
from .oee import IdealCycleTimes, OEEConfig
from .shifts import Period, PlannedStop, ShiftCalendar, ShiftPattern
from .states import LossClass, LossPolicy

Bounds = tuple[float | None, float | None]


@dataclass(frozen=True, slots=True)
class SensorSpec:
    """One measured value of a machine."""

    name: str
    unit: str | None = None
    device_class: str | None = None
    valid_range: Bounds = (None, None)
    expected_range: Bounds = (None, None)
    baseline: float | None = None

    def valid(self, value: float) -> bool:
        """Whether ``value`` is physically plausible (inside ``valid_range``)."""
        low, high = self.valid_range
        return (low is None or value >= low) and (high is None or value <= high)

    def expected(self, value: float) -> bool:
        """Whether ``value`` is inside the expected operating range."""
        low, high = self.expected_range
        return (low is None or value >= low) and (high is None or value <= high)


@dataclass(frozen=True, slots=True)
class Machine:
    """A configured machine; ``id`` is ``<site>/<area>/<machine>``."""

    id: str
    site: str
    area: str
    slug: str
    name: str
    sensors: tuple[SensorSpec, ...]
    calendar: ShiftCalendar | None
    time_zone: ZoneInfo
    oee: OEEConfig
    reporting_interval: timedelta
    counter_width: CounterWidth
    modbus: Mapping[str, Any] | None = None
    sensor_by_name: Mapping[str, SensorSpec] = field(default_factory=dict)

    @property
    def object_prefix(self) -> str:
        """The entity object-id prefix: ``<site>_<area>_<machine>``."""
        return self.id.replace("/", "_")

    def as_dict(self) -> dict[str, Any]:
        """A description for the API."""
        return {
            "id": self.id,
            "site": self.site,
            "area": self.area,
            "name": self.name,
            "time_zone": self.time_zone.key,
            "ideal_cycle_time_s": (
                None
                if self.oee.ideal_cycle.default is None
                else self.oee.ideal_cycle.default.total_seconds()
            ),
            "reporting_interval_s": self.reporting_interval.total_seconds(),
            "sensors": [
                {
                    "name": s.name,
                    "unit": s.unit,
                    "device_class": s.device_class,
                    "valid_range": list(s.valid_range),
                    "expected_range": list(s.expected_range),
                    "baseline": s.baseline,
                }
                for s in self.sensors
            ],
            "has_schedule": self.calendar is not None,
            "modbus": self.modbus is not None,
        }


def _policy(section: Mapping[str, Any]) -> LossPolicy:
    return LossPolicy(
        availability=frozenset(section[CONF_AVAILABILITY]),
        performance=frozenset(section[CONF_PERFORMANCE]),
        excluded=frozenset(section[CONF_EXCLUDED]),
        unknown_as=LossClass(section[CONF_UNKNOWN_AS]),
    )


def build_calendar(schedule: Mapping[str, Any], zone: ZoneInfo) -> ShiftCalendar:
    """A shift calendar from a validated ``schedule:`` mapping."""
    patterns = [
        ShiftPattern(
            name=shift[CONF_NAME],
            start=shift[CONF_START],
            end=shift[CONF_END],
            weekdays=frozenset(shift[CONF_WEEKDAYS]),
            planned_stops=tuple(
                PlannedStop(stop[CONF_NAME], stop[CONF_START], stop[CONF_END])
                for stop in shift[CONF_BREAKS]
            ),
        )
        for shift in schedule[CONF_SHIFTS]
    ]
    stops = []
    for stop in schedule[CONF_PLANNED_DOWNTIME]:
        start: datetime = stop[CONF_START]
        end: datetime = stop[CONF_END]
        start = start if start.tzinfo else start.replace(tzinfo=zone)
        end = end if end.tzinfo else end.replace(tzinfo=zone)
        stops.append(Period(start.astimezone(UTC), end.astimezone(UTC), stop[CONF_NAME]))
    return ShiftCalendar.create(zone, patterns, stops, schedule[CONF_HOLIDAYS])


def _sensor(conf: Mapping[str, Any]) -> SensorSpec:
    return SensorSpec(
        name=conf[CONF_NAME],
        unit=conf.get(CONF_UNIT),
        device_class=conf.get(CONF_DEVICE_CLASS),
        valid_range=conf.get(CONF_VALID_RANGE, (None, None)),
        expected_range=conf.get(CONF_EXPECTED_RANGE, (None, None)),
        baseline=conf.get(CONF_BASELINE),
    )


def _machine(
    site: str,
    site_conf: Mapping[str, Any],
    area: str,
    slug: str,
    conf: Mapping[str, Any],
    policy: LossPolicy,
) -> Machine:
    schedule = conf.get(CONF_SCHEDULE) or site_conf.get(CONF_SCHEDULE)
    zone_name = (schedule or {}).get(CONF_TIME_ZONE) or site_conf[CONF_TIME_ZONE]
    zone = ZoneInfo(zone_name)
    calendar = build_calendar(schedule, zone) if schedule and schedule[CONF_SHIFTS] else None
    interval = timedelta(seconds=conf[CONF_REPORTING_INTERVAL])
    max_gap = conf.get(CONF_MAX_GAP)
    cycle = conf.get(CONF_IDEAL_CYCLE_TIME)
    oee = OEEConfig(
        ideal_cycle=IdealCycleTimes(None if cycle is None else timedelta(seconds=cycle)),
        policy=policy,
        max_gap=timedelta(seconds=max_gap) if max_gap else max(interval * 3, timedelta(minutes=1)),
    )
    sensors = tuple(_sensor(s) for s in conf[CONF_SENSORS])
    return Machine(
        id=f"{site}/{area}/{slug}",
        site=site,
        area=area,
        slug=slug,
        name=conf.get(CONF_NAME) or slug,
        sensors=sensors,
        calendar=calendar,
        time_zone=zone,
        oee=oee,
        reporting_interval=interval,
        counter_width=CounterWidth(conf[CONF_COUNTER_WIDTH]),
        modbus=conf.get(CONF_MODBUS),
        sensor_by_name={s.name: s for s in sensors},
    )


class FactoryRegistry:
    """The configured machines, looked up by id and filtered by site scope."""

    def __init__(self, machines: Iterable[Machine], site_names: Mapping[str, str]) -> None:
        self._machines = {machine.id: machine for machine in machines}
        self.site_names = dict(site_names)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> FactoryRegistry:
        """Build from the validated ``factory_machine:`` section."""
        policy = _policy(config[CONF_LOSS_CLASSES])
        machines = []
        names = {}
        for site, site_conf in config[CONF_SITES].items():
            names[site] = site_conf.get(CONF_NAME) or site
            for area, area_conf in site_conf[CONF_AREAS].items():
                for slug, conf in area_conf[CONF_MACHINES].items():
                    machines.append(_machine(site, site_conf, area, slug, conf, policy))
        return cls(machines, names)

    def get(self, machine_id: str) -> Machine | None:
        """The machine with this id, or None."""
        return self._machines.get(machine_id)

    def machines(
        self,
        *,
        sites: Iterable[str] = (),
        site: str | None = None,
        area: str | None = None,
    ) -> list[Machine]:
        """Machines sorted by id; ``sites`` (non-empty) limits to a user's scope."""
        allowed = set(sites)
        return [
            m
            for m in sorted(self._machines.values(), key=lambda m: m.id)
            if (not allowed or m.site in allowed)
            and (site is None or m.site == site)
            and (area is None or m.area == area)
        ]

    def __len__(self) -> int:
        return len(self._machines)
