"""Tank geometry: distance → level → volume → percent, and config validation.

Lengths are millimetres, volumes litres. The sensor face sits ``sensor_offset_mm`` below the
tank's top internal surface (negative for a sensor in a riser above the roof), so its height
above the bottom is ``height - sensor_offset``. Mirrors ``firmware/tank_node/lib/tankcore``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

MM3_PER_LITRE = 1_000_000.0
MAX_TABLE_POINTS = 32


@dataclass(frozen=True, kw_only=True)
class _Mounting:
    """Sensor mounting shared by every shape."""

    sensor_offset_mm: float = 0.0
    blind_zone_mm: float = 0.0
    max_fill_mm: float | None = None


@dataclass(frozen=True, kw_only=True)
class VerticalCylinder(_Mounting):
    """Upright cylinder: V = π r² h."""

    shape: ClassVar[str] = "vertical_cylinder"
    diameter_mm: float
    height_mm: float


@dataclass(frozen=True, kw_only=True)
class HorizontalCylinder(_Mounting):
    """Cylinder lying on its side with flat ends; its height is the diameter."""

    shape: ClassVar[str] = "horizontal_cylinder"
    diameter_mm: float
    length_mm: float

    @property
    def height_mm(self) -> float:
        """Internal height (the diameter)."""
        return self.diameter_mm


@dataclass(frozen=True, kw_only=True)
class Rectangular(_Mounting):
    """Box: V = L · W · h."""

    shape: ClassVar[str] = "rectangular"
    length_mm: float
    width_mm: float
    height_mm: float


@dataclass(frozen=True, kw_only=True)
class TableTank(_Mounting):
    """Irregular tank described by a calibration table of (level mm, volume L) points."""

    shape: ClassVar[str] = "table"
    height_mm: float
    points: tuple[tuple[float, float], ...]


TankGeometry = VerticalCylinder | HorizontalCylinder | Rectangular | TableTank


@dataclass(frozen=True)
class Problem:
    """One reason a tank configuration is impossible; ``code`` is shared with the firmware."""

    code: str
    message: str


@dataclass(frozen=True)
class LevelResult:
    """Liquid level implied by one distance reading.

    ``blind_zone`` means the echo came from inside the sensor's blind zone: the tank is at
    least ``level_mm`` full. ``clamped`` means the raw level fell outside [0, max fill].
    """

    level_mm: float
    blind_zone: bool
    clamped: bool


@dataclass(frozen=True)
class TankReading:
    """A complete conversion of one distance reading."""

    level_mm: float
    volume_l: float
    percent: float
    blind_zone: bool
    clamped: bool


def sensor_height_mm(tank: TankGeometry) -> float:
    """Height of the sensor face above the tank bottom."""
    return tank.height_mm - tank.sensor_offset_mm


def max_fill_mm(tank: TankGeometry) -> float:
    """Level regarded as 100 % (the configured max fill, else the tank height)."""
    return tank.height_mm if tank.max_fill_mm is None else tank.max_fill_mm


def _dimensions(tank: TankGeometry) -> dict[str, float]:
    if isinstance(tank, VerticalCylinder):
        return {"diameter_mm": tank.diameter_mm, "height_mm": tank.height_mm}
    if isinstance(tank, HorizontalCylinder):
        return {"diameter_mm": tank.diameter_mm, "length_mm": tank.length_mm}
    if isinstance(tank, Rectangular):
        return {
            "length_mm": tank.length_mm,
            "width_mm": tank.width_mm,
            "height_mm": tank.height_mm,
        }
    return {"height_mm": tank.height_mm}


def _table_problems(tank: TableTank) -> list[Problem]:
    points = tank.points
    if len(points) < 2:
        return [Problem("table_too_short", "the calibration table needs at least 2 points")]
    if len(points) > MAX_TABLE_POINTS:
        return [Problem("table_too_long", f"at most {MAX_TABLE_POINTS} calibration points")]
    problems: list[Problem] = []
    levels = [level for level, _ in points]
    volumes = [volume for _, volume in points]
    if not all(math.isfinite(v) for v in (*levels, *volumes)):
        problems.append(Problem("not_finite", "calibration points must be finite numbers"))
        return problems
    if any(b <= a for a, b in itertools.pairwise(levels)):
        problems.append(Problem("table_not_increasing", "table levels must strictly increase"))
    if any(b < a for a, b in itertools.pairwise(volumes)) or volumes[0] < 0:
        problems.append(
            Problem("table_volume_decreasing", "table volumes must be >= 0 and never decrease")
        )
    if levels[0] < 0 or levels[-1] > tank.height_mm:
        problems.append(
            Problem("table_level_out_of_range", "table levels must lie within 0..height_mm")
        )
    return problems


def validate(tank: TankGeometry) -> list[Problem]:
    """Return every reason this configuration cannot work; an empty list means valid."""
    values = {
        **_dimensions(tank),
        "sensor_offset_mm": tank.sensor_offset_mm,
        "blind_zone_mm": tank.blind_zone_mm,
        "max_fill_mm": max_fill_mm(tank),
    }
    bad = [name for name, value in values.items() if not math.isfinite(value)]
    if bad:
        return [Problem("not_finite", f"{', '.join(bad)} must be finite numbers")]
    problems = [
        Problem("non_positive_dimension", f"{name} must be greater than 0")
        for name, value in _dimensions(tank).items()
        if value <= 0
    ]
    if problems:
        return problems
    height = tank.height_mm
    if tank.sensor_offset_mm >= height:
        problems.append(
            Problem(
                "offset_not_below_top",
                f"sensor_offset_mm ({tank.sensor_offset_mm:g}) must be less than the tank "
                f"height ({height:g}): the sensor would sit at or below the bottom",
            )
        )
    if tank.blind_zone_mm < 0:
        problems.append(Problem("negative_blind_zone", "blind_zone_mm must be >= 0"))
    elif tank.sensor_offset_mm < height and tank.blind_zone_mm >= sensor_height_mm(tank):
        problems.append(
            Problem(
                "blind_zone_too_large",
                f"blind_zone_mm ({tank.blind_zone_mm:g}) reaches the tank bottom: "
                "no level could ever be measured",
            )
        )
    fill = max_fill_mm(tank)
    if not 0 < fill <= height:
        problems.append(
            Problem("max_fill_out_of_range", f"max_fill_mm must be in 0 < max_fill <= {height:g}")
        )
    if isinstance(tank, TableTank):
        problems.extend(_table_problems(tank))
    return problems


def is_valid_distance(distance_mm: float | None) -> bool:
    """True for a usable echo: finite and above 0 (NaN, timeouts and 0 are ignored)."""
    return distance_mm is not None and math.isfinite(distance_mm) and distance_mm > 0


def level_from_distance(tank: TankGeometry, distance_mm: float) -> LevelResult:
    """Convert a valid distance (see ``is_valid_distance``) into a clamped liquid level."""
    top = max_fill_mm(tank)
    mount = sensor_height_mm(tank)
    if distance_mm < tank.blind_zone_mm:
        return LevelResult(min(mount - tank.blind_zone_mm, top), blind_zone=True, clamped=False)
    raw = mount - distance_mm
    level = min(max(raw, 0.0), top)
    return LevelResult(level, blind_zone=False, clamped=level != raw)


def circular_segment_area(diameter: float, level: float) -> float:
    """Area of the part of a circle of ``diameter`` below ``level`` (same units squared)."""
    r = diameter / 2.0
    h = min(max(level, 0.0), diameter)
    return r * r * math.acos((r - h) / r) - (r - h) * math.sqrt(max(2.0 * r * h - h * h, 0.0))


def horizontal_fill_fraction(diameter: float, level: float) -> float:
    """Fraction of a horizontal cylinder's volume filled at ``level``."""
    r = diameter / 2.0
    return circular_segment_area(diameter, level) / (math.pi * r * r)


def _interpolate(points: Sequence[tuple[float, float]], level: float) -> float:
    if level <= points[0][0]:
        return points[0][1]
    for (l0, v0), (l1, v1) in itertools.pairwise(points):
        if level <= l1:
            return v0 + (v1 - v0) * (level - l0) / (l1 - l0)
    return points[-1][1]


def volume_at_level(tank: TankGeometry, level_mm: float) -> float:
    """Volume in litres at ``level_mm`` (clamped to the tank's height)."""
    h = min(max(level_mm, 0.0), tank.height_mm)
    if isinstance(tank, VerticalCylinder):
        r = tank.diameter_mm / 2.0
        return math.pi * r * r * h / MM3_PER_LITRE
    if isinstance(tank, HorizontalCylinder):
        return tank.length_mm * circular_segment_area(tank.diameter_mm, h) / MM3_PER_LITRE
    if isinstance(tank, Rectangular):
        return tank.length_mm * tank.width_mm * h / MM3_PER_LITRE
    return _interpolate(tank.points, h)


def capacity_l(tank: TankGeometry) -> float:
    """Usable volume: the volume at max fill."""
    return volume_at_level(tank, max_fill_mm(tank))


def percent(tank: TankGeometry, volume_l: float) -> float:
    """Volume as a percentage of capacity, always within 0..100."""
    capacity = capacity_l(tank)
    if capacity <= 0:
        return 0.0
    return min(max(volume_l / capacity * 100.0, 0.0), 100.0)


def convert(tank: TankGeometry, distance_mm: float | None) -> TankReading | None:
    """Full conversion of one reading; None when the distance must be ignored."""
    if distance_mm is None or not is_valid_distance(distance_mm):
        return None
    level = level_from_distance(tank, distance_mm)
    volume = volume_at_level(tank, level.level_mm)
    return TankReading(
        level_mm=level.level_mm,
        volume_l=volume,
        percent=percent(tank, volume),
        blind_zone=level.blind_zone,
        clamped=level.clamped,
    )
