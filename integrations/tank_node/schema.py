"""YAML and pairing-body schemas of the tank node integration, with every default.

.. code-block:: yaml

    tank_node:
      hub_url: ws://192.168.1.10:8123/api/tank_node/ws   # optional
      tanks:
        - mac: a4:cf:12:0b:9e:01
          name: Rain tank
          shape: vertical_cylinder
          diameter_mm: 1200
          height_mm: 1500
          sensor_offset_mm: 0
          blind_zone_mm: 230
          report_interval: 60
      simulate:                # in-process simulated nodes, paired automatically
        - mac: 02:00:00:00:00:01
          name: Demo tank
          shape: vertical_cylinder
          diameter_mm: 1000
          height_mm: 1500
          profile: {start_mm: 900, rate_mm_per_h: -60}

Impossible geometries (sensor below the bottom, blind zone reaching the bottom…) are refused
by :func:`geometry.validate`, reported on the line of the key to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import voluptuous as vol

from hub.api import cv

from .const import (
    CONF_DEEP_SLEEP,
    CONF_HUB_URL,
    CONF_MAC,
    CONF_NAME,
    CONF_PROFILE,
    CONF_REPORT_INTERVAL,
    CONF_SHAPE,
    CONF_SIMULATE,
    CONF_TANKS,
)
from .geometry import (
    HorizontalCylinder,
    Rectangular,
    TableTank,
    TankGeometry,
    VerticalCylinder,
    validate,
)
from .protocol import TankConfig

DEFAULT_REPORT_INTERVAL_S = 60
MIN_REPORT_INTERVAL_S = 5
MAX_REPORT_INTERVAL_S = 86_400

SHAPE_FIELDS: dict[str, tuple[str, ...]] = {
    VerticalCylinder.shape: ("diameter_mm", "height_mm"),
    HorizontalCylinder.shape: ("diameter_mm", "length_mm"),
    Rectangular.shape: ("length_mm", "width_mm", "height_mm"),
    TableTank.shape: ("height_mm", "points"),
}
_DIMENSIONS = ("diameter_mm", "length_mm", "width_mm", "height_mm")
_PROBLEM_KEYS = {
    "offset_not_below_top": "sensor_offset_mm",
    "negative_blind_zone": "blind_zone_mm",
    "blind_zone_too_large": "blind_zone_mm",
    "max_fill_out_of_range": "max_fill_mm",
    "table_too_short": "points",
    "table_too_long": "points",
    "table_not_increasing": "points",
    "table_volume_decreasing": "points",
    "table_level_out_of_range": "points",
}
_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")
_HUB_URL = re.compile(r"(wss?|https?)://[\x21-\x7e]+")


def mac_address(value: Any) -> str:
    """A MAC address, normalised to lowercase ``aa:bb:cc:dd:ee:ff``."""
    text = cv.string(value).strip().lower().replace("-", ":")
    if not _MAC.fullmatch(text):
        raise vol.Invalid(f"expected a MAC address like a4:cf:12:0b:9e:01, got {value!r}")
    return text


def hub_url(value: Any) -> str:
    """The URL nodes connect to: ``ws://``, ``wss://``, ``http://`` or ``https://``, ≤ 256 bytes."""
    text = cv.string(value).strip()
    if not _HUB_URL.fullmatch(text) or len(text.encode()) > 256:
        raise vol.Invalid(
            f"expected a URL like ws://192.168.1.10:8123/api/tank_node/ws, got {value!r}"
        )
    return text


def report_interval(value: Any) -> int:
    """A report interval in whole seconds, 5 s to 1 day (``60``, ``"00:05:00"``…)."""
    period: dt.timedelta = cv.time_period(value)
    seconds = int(period.total_seconds())
    if not MIN_REPORT_INTERVAL_S <= seconds <= MAX_REPORT_INTERVAL_S:
        raise vol.Invalid(
            f"expected a report interval between {MIN_REPORT_INTERVAL_S} s and "
            f"{MAX_REPORT_INTERVAL_S} s, got {value!r}"
        )
    return seconds


def length(value: Any) -> int | float:
    """A number of millimetres or litres; whole numbers stay integers on the wire."""
    number = cv.number(value)
    return int(number) if number.is_integer() else number


def _point(value: Any) -> list[int | float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise vol.Invalid("expected a point [level_mm, volume_l]")
    return [length(value[0]), length(value[1])]


def geometry_from_config(section: Mapping[str, Any]) -> TankGeometry:
    """The geometry a validated tank section describes (its shape fields must be present)."""
    mounting: dict[str, Any] = {
        "sensor_offset_mm": section["sensor_offset_mm"],
        "blind_zone_mm": section["blind_zone_mm"],
        "max_fill_mm": section.get("max_fill_mm"),
    }
    shape = section[CONF_SHAPE]
    dims = {k: section[k] for k in SHAPE_FIELDS[shape] if k != "points"}
    if shape == VerticalCylinder.shape:
        return VerticalCylinder(**dims, **mounting)
    if shape == HorizontalCylinder.shape:
        return HorizontalCylinder(**dims, **mounting)
    if shape == Rectangular.shape:
        return Rectangular(**dims, **mounting)
    points = tuple((float(a), float(b)) for a, b in section["points"])
    return TableTank(points=points, **dims, **mounting)


def _check_geometry(section: dict[str, Any]) -> dict[str, Any]:
    shape = section[CONF_SHAPE]
    missing = [k for k in SHAPE_FIELDS[shape] if k not in section]
    if missing:
        raise vol.MultipleInvalid(
            [vol.RequiredFieldInvalid(f"required for shape {shape}", path=[k]) for k in missing]
        )
    extra = [k for k in (*_DIMENSIONS, "points") if k in section and k not in SHAPE_FIELDS[shape]]
    if extra:
        raise vol.MultipleInvalid(
            [vol.Invalid(f"not used by shape {shape}; remove it", path=[k]) for k in extra]
        )
    problems = validate(geometry_from_config(section))
    if problems:
        errors: list[vol.Invalid] = []
        for problem in problems:
            key = _PROBLEM_KEYS.get(problem.code)
            if key is None:
                key = next((k for k in _DIMENSIONS if k in problem.message), CONF_SHAPE)
            errors.append(vol.Invalid(f"{problem.message} ({problem.code})", path=[key]))
        raise vol.MultipleInvalid(errors)
    return section


_TANK_FIELDS: dict[Any, Any] = {
    vol.Required(CONF_SHAPE): cv.one_of(*SHAPE_FIELDS),
    vol.Optional("diameter_mm"): length,
    vol.Optional("length_mm"): length,
    vol.Optional("width_mm"): length,
    vol.Optional("height_mm"): length,
    vol.Optional("points"): vol.All(cv.ensure_list, [_point]),
    vol.Optional("sensor_offset_mm", default=0): length,
    vol.Optional("blind_zone_mm", default=0): length,
    vol.Optional("max_fill_mm"): length,
    vol.Optional(CONF_REPORT_INTERVAL, default=DEFAULT_REPORT_INTERVAL_S): report_interval,
    vol.Optional(CONF_DEEP_SLEEP, default=False): cv.boolean,
}

TANK_SETTINGS_SCHEMA = vol.Schema(vol.All(_TANK_FIELDS, _check_geometry))
"""One tank's geometry, mounting and reporting (the ``tank`` object of a pairing request)."""

TANK_SCHEMA = vol.Schema(
    vol.All(
        {
            vol.Required(CONF_MAC): mac_address,
            vol.Optional(CONF_NAME): cv.string,
            **_TANK_FIELDS,
        },
        _check_geometry,
    )
)
"""A ``tanks:`` entry: the settings of the node with that MAC."""


PROFILE_SCHEMA = vol.Schema(
    {
        vol.Optional("start_mm", default=800): vol.All(length, vol.Range(min=0)),
        vol.Optional("rate_mm_per_h", default=0): length,
    }
)
"""How a simulated tank's level moves: from ``start_mm``, by ``rate_mm_per_h`` (< 0 drains)."""

SIMULATE_SCHEMA = vol.Schema(
    vol.All(
        {
            vol.Required(CONF_MAC): mac_address,
            vol.Required(CONF_NAME): vol.All(cv.string, vol.Length(min=1, max=64)),
            vol.Optional(CONF_PROFILE, default=dict): vol.All(cv.empty_mapping, PROFILE_SCHEMA),
            **_TANK_FIELDS,
        },
        _check_geometry,
    )
)
"""A ``simulate:`` entry: an in-process simulated node, its tank and its level profile."""


def _unique_macs(section: dict[str, Any]) -> dict[str, Any]:
    seen: set[str] = set()
    for key in (CONF_TANKS, CONF_SIMULATE):
        for index, tank in enumerate(section[key]):
            if tank[CONF_MAC] in seen:
                raise vol.Invalid(
                    f"MAC {tank[CONF_MAC]} is listed twice", path=[key, index, CONF_MAC]
                )
            seen.add(tank[CONF_MAC])
    return section


CONFIG_SCHEMA = vol.Schema(
    vol.All(
        cv.empty_mapping,
        {
            vol.Optional(CONF_HUB_URL): hub_url,
            vol.Optional(CONF_TANKS, default=list): vol.All(cv.ensure_list, [TANK_SCHEMA]),
            vol.Optional(CONF_SIMULATE, default=list): vol.All(cv.ensure_list, [SIMULATE_SCHEMA]),
        },
        _unique_macs,
    )
)
"""The ``tank_node:`` section."""

PAIR_SCHEMA = vol.Schema(
    {
        vol.Required("host"): cv.string,
        vol.Optional("port", default=80): cv.port,
        vol.Required(CONF_MAC): mac_address,
        vol.Required(CONF_NAME): vol.All(cv.string, vol.Length(min=1, max=64)),
        vol.Required("tank"): TANK_SETTINGS_SCHEMA,
        vol.Optional(CONF_HUB_URL): hub_url,
    }
)
"""Body of ``POST /api/tank_node/pair``."""


def tank_settings(section: Mapping[str, Any]) -> dict[str, Any]:
    """The stored form of a tank section: settings only, no MAC, name or simulation profile."""
    return {k: v for k, v in section.items() if k not in (CONF_MAC, CONF_NAME, CONF_PROFILE)}


def config_message(section: Mapping[str, Any], now_ms: int) -> TankConfig:
    """The ``tank-config`` frame for a validated tank section."""
    return TankConfig(
        interval_s=int(section[CONF_REPORT_INTERVAL]),
        now_ms=now_ms,
        deep_sleep=bool(section[CONF_DEEP_SLEEP]),
        tank=geometry_from_config(section),
    )
