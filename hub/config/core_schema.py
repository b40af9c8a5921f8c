"""The ``hub:`` section and the names of the core's own configuration sections."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any, Final

import voluptuous as vol

from hub.config import cv

HUB_DOMAIN: Final = "hub"
CORE_SECTIONS: Final = (
    HUB_DOMAIN,
    "recorder",
    "window",
    "http",
    "automation",
    "alert",
    "discovery",
    "logger",
)
"""Top-level keys that belong to the core rather than to an integration."""


class UnitSystem(StrEnum):
    """Units the hub shows values in."""

    METRIC = "metric"
    IMPERIAL = "imperial"


@dataclass(frozen=True, slots=True)
class CoreSettings:
    """The validated ``hub:`` section."""

    name: str
    site_id: str
    time_zone: str
    unit_system: UnitSystem
    setup_warning_after: timedelta
    allowed_plugins: tuple[str, ...] | None


def _to_settings(data: Mapping[str, Any]) -> CoreSettings:
    plugins = data.get("allowed_plugins")
    return CoreSettings(
        name=data["name"],
        site_id=data["site_id"],
        time_zone=data["time_zone"],
        unit_system=UnitSystem(data["unit_system"]),
        setup_warning_after=data["setup_warning_after"],
        allowed_plugins=None if plugins is None else tuple(plugins),
    )


HUB_SCHEMA: Final = vol.Schema(
    vol.All(
        cv.empty_mapping,
        {
            vol.Optional("name", default="Fieldhub"): cv.string,
            vol.Optional("site_id", default="default"): cv.slug,
            vol.Optional("time_zone", default="UTC"): cv.time_zone,
            vol.Optional("unit_system", default=UnitSystem.METRIC.value): cv.one_of(
                *(unit.value for unit in UnitSystem)
            ),
            vol.Optional(
                "setup_warning_after", default=timedelta(seconds=10)
            ): cv.positive_time_period,
            vol.Optional("allowed_plugins"): vol.All(cv.ensure_list, [cv.string]),
        },
        _to_settings,
    )
)
"""Schema of the ``hub:`` section; validating gives a :class:`CoreSettings`."""


DEFAULT_SETTINGS: Final[CoreSettings] = HUB_SCHEMA({})
"""The settings of a hub whose configuration has no ``hub:`` section."""

LOG_LEVELS: Final = ("critical", "fatal", "error", "warning", "warn", "info", "debug", "notset")

LOGGER_SCHEMA: Final = vol.Schema(
    vol.All(
        cv.empty_mapping,
        {
            vol.Optional("default", default="info"): vol.All(vol.Lower, vol.In(LOG_LEVELS)),
            vol.Optional("logs", default=dict): {cv.string: vol.All(vol.Lower, vol.In(LOG_LEVELS))},
        },
    )
)
"""Schema of the ``logger:`` section (Home Assistant's keys)."""
