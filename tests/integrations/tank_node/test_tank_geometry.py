"""Tank geometry against the shared vectors in firmware/protocol/geometry.json."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from integrations.tank_node.geometry import (
    HorizontalCylinder,
    VerticalCylinder,
    capacity_l,
    convert,
    horizontal_fill_fraction,
    is_valid_distance,
    level_from_distance,
    validate,
)
from integrations.tank_node.protocol import tank_from_dict

VECTORS = json.loads(
    (Path(__file__).resolve().parents[3] / "firmware/protocol/geometry.json").read_text()
)
TOL = VECTORS["tolerance"]["abs"]


@pytest.mark.parametrize(
    "case", VECTORS["fill_fraction"], ids=lambda c: f"d{c['diameter']}h{c['level']}"
)
def test_horizontal_cylinder_volume_vectors(case: dict[str, Any]) -> None:
    fraction = horizontal_fill_fraction(case["diameter"], case["level"])
    assert math.floor(case["total"] * fraction) == case["expected_floor"]


@pytest.mark.parametrize("case", VECTORS["tanks"], ids=lambda c: c["name"])
def test_distance_to_volume_vectors(case: dict[str, Any]) -> None:
    tank = tank_from_dict(case["tank"])
    assert validate(tank) == []
    assert capacity_l(tank) == pytest.approx(case["capacity_l"], abs=TOL)
    for expected in case["readings"]:
        reading = convert(tank, expected["distance_mm"])
        if expected.get("ignored"):
            assert reading is None, expected
            continue
        assert reading is not None, expected
        assert reading.level_mm == pytest.approx(expected["level_mm"], abs=TOL)
        assert reading.volume_l == pytest.approx(expected["volume_l"], abs=TOL)
        assert reading.percent == pytest.approx(expected["percent"], abs=TOL)
        assert (reading.blind_zone, reading.clamped) == (
            expected["blind_zone"],
            expected["clamped"],
        ), expected
        assert 0.0 <= reading.percent <= 100.0


@pytest.mark.parametrize("case", VECTORS["valid_tanks"], ids=lambda c: c["name"])
def test_valid_tank_vectors(case: dict[str, Any]) -> None:
    assert validate(tank_from_dict(case["tank"])) == []


@pytest.mark.parametrize("case", VECTORS["invalid_tanks"], ids=lambda c: c["name"])
def test_invalid_tank_vectors(case: dict[str, Any]) -> None:
    problems = validate(tank_from_dict(case["tank"]))
    assert sorted(p.code for p in problems) == sorted(case["problems"])
    assert all(p.message for p in problems)


@pytest.mark.parametrize("distance", [math.nan, math.inf, 0.0, -1.0, None])
def test_unusable_distances_are_ignored(distance: float | None) -> None:
    assert not is_valid_distance(distance)
    assert convert(VerticalCylinder(diameter_mm=1000, height_mm=1000), distance) is None


def test_blind_zone_reading_means_at_least_this_full() -> None:
    tank = HorizontalCylinder(diameter_mm=1000, length_mm=2000, blind_zone_mm=200)
    inside = level_from_distance(tank, 50)
    edge = level_from_distance(tank, 200)
    assert inside.blind_zone and not inside.clamped
    assert inside.level_mm == edge.level_mm == 800
    assert not edge.blind_zone


def test_half_height_is_half_volume_but_a_third_is_not() -> None:
    tank = HorizontalCylinder(diameter_mm=1200, length_mm=3000)
    half = convert(tank, 600)
    third = convert(tank, 800)
    assert half is not None and third is not None
    assert half.percent == pytest.approx(50.0)
    assert third.percent == pytest.approx(29.179, abs=1e-3)


def test_non_finite_dimension_is_reported() -> None:
    problems = validate(VerticalCylinder(diameter_mm=math.nan, height_mm=1000))
    assert [p.code for p in problems] == ["not_finite"]
    assert "diameter_mm" in problems[0].message
