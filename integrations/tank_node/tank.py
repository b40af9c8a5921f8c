"""One paired tank: readings in, filtered values out to its entities.

Readings are ordered by ``(boot, seq)``; one at or below the highest seen is a duplicate and
ignored. A reading measured before the newest live value (a replay from the node's offline
buffer) feeds the fill-rate estimate and the history, never the live state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hub.api import Hub

from . import geometry
from .entities import TankOnline, TankSensor, build_entities
from .filters import FillRateEstimator, compensate, time_to_empty_s, time_to_full_s
from .protocol import TankUpdate
from .schema import geometry_from_config

_LOGGER = logging.getLogger(__name__)

LateWriter = Callable[[Hub, str, str, Mapping[str, Any], float], Any]
"""``record_state_at(hub, entity_id, state, attributes, timestamp)`` of the recorder."""


class Outcome(StrEnum):
    """What became of one reading."""

    LIVE = "live"
    LATE = "late"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class TankValues:
    """Every value derived from one reading."""

    distance: float
    level: float
    volume: float
    free_volume: float
    fill_rate: float | None
    time_to_empty: float | None
    time_to_full: float | None
    signal: float
    blind_zone: bool
    clamped: bool


def effective_distance(update: TankUpdate) -> float | None:
    """The reported distance, recomputed from the echo time when the temperature is known."""
    if update.echo_us is not None and update.temperature_dc is not None:
        return compensate(update.echo_us, update.temperature_dc / 10.0)
    return None if update.distance_mm is None else float(update.distance_mm)


class Tank:
    """Processing state and entities of one paired node."""

    def __init__(self, device_id: str, name: str, section: Mapping[str, Any]) -> None:
        self.device_id = device_id
        self.sensors, self.online = build_entities(device_id, name)
        self.section: Mapping[str, Any] = section
        self.geometry = geometry_from_config(section)
        self.highest: tuple[int, int] | None = None
        self.live_ts: float | None = None
        self.invalid_readings = 0
        self._estimator = FillRateEstimator()

    def entities(self) -> list[TankSensor | TankOnline]:
        """Every entity, sensors first."""
        return [*self.sensors.values(), self.online]

    def reconfigure(self, section: Mapping[str, Any]) -> None:
        """Apply a changed tank section (geometry or interval); the fill history restarts."""
        self.section = section
        self.geometry = geometry_from_config(section)
        self._estimator = FillRateEstimator()

    def set_online(self, online: bool) -> None:
        """Publish the connection state."""
        self.online.set_online(online)
        if self.online.added:
            self.online.write_state()

    def process(
        self, update: TankUpdate, received_at: float, *, late_writer: LateWriter | None = None
    ) -> Outcome:
        """Apply one reading; return whether it became live, history, or was dropped."""
        key = (update.boot, update.seq)
        if self.highest is not None and key <= self.highest:
            return Outcome.DUPLICATE
        self.highest = key
        distance = effective_distance(update)
        reading = geometry.convert(self.geometry, distance)
        if distance is None or reading is None:
            self.invalid_readings += 1
            return Outcome.INVALID
        ts = min(update.ts_ms / 1000.0, received_at) if update.ts_ms else received_at
        self._estimator.add(ts, reading.volume_l)
        values = self._values(distance, reading, update.quality)
        if self.live_ts is not None and ts < self.live_ts:
            if late_writer is not None:
                self._write_late(values, ts, late_writer)
            return Outcome.LATE
        self.live_ts = ts
        self._publish(values, ts)
        return Outcome.LIVE

    def _values(self, distance: float, reading: geometry.TankReading, quality: int) -> TankValues:
        capacity = geometry.capacity_l(self.geometry)
        rate = self._estimator.rate()
        to_empty = time_to_empty_s(reading.volume_l, rate)
        to_full = time_to_full_s(reading.volume_l, capacity, rate)
        return TankValues(
            distance=distance,
            level=reading.percent,
            volume=reading.volume_l,
            free_volume=max(capacity - reading.volume_l, 0.0),
            fill_rate=None if rate is None else rate.rate_lph if rate.significant else 0.0,
            time_to_empty=None if to_empty is None else to_empty / 3600.0,
            time_to_full=None if to_full is None else to_full / 3600.0,
            signal=float(quality),
            blind_zone=reading.blind_zone,
            clamped=reading.clamped,
        )

    def _publish(self, values: TankValues, ts: float) -> None:
        flags = {"blind_zone": values.blind_zone, "clamped": values.clamped}
        for key, sensor in self.sensors.items():
            sensor.set_value(getattr(values, key), flags if key == "level" else None)
            if sensor.added:
                sensor.write_state(timestamp=ts)

    def _write_late(self, values: TankValues, ts: float, writer: LateWriter) -> None:
        for key in ("distance", "level", "volume", "free_volume"):
            sensor = self.sensors[key]
            if not sensor.added:
                continue
            value = getattr(values, key)
            attributes = sensor.state_attributes()
            try:
                writer(sensor.hub, sensor.entity_id, repr(round(value, 3)), attributes, ts)
            except Exception:
                _LOGGER.exception("Could not store a late reading of %s", sensor.entity_id)
