"""The ``factory_machine:`` YAML schema and every default of the integration.

Sites map to areas, areas to machines; ids are slugs and a machine's full id is
``<site>/<area>/<machine>``. Times of day are local to the machine's time zone (the
schedule's, else the site's, else UTC).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import voluptuous as vol

from hub.api import cv

from .const import (
    CONF_ADDRESS,
    CONF_ALL,
    CONF_AREAS,
    CONF_AVAILABILITY,
    CONF_BASELINE,
    CONF_BATCH,
    CONF_BREAKS,
    CONF_BURST,
    CONF_COUNTER_WIDTH,
    CONF_DATA_TYPE,
    CONF_DEDUPE_SIZE,
    CONF_DEVICE_CLASS,
    CONF_DEVICE_ID,
    CONF_EMAIL_TARGET,
    CONF_END,
    CONF_EXCLUDED,
    CONF_EXPECTED_RANGE,
    CONF_FLUSH_INTERVAL,
    CONF_FOLDER,
    CONF_FORMATS,
    CONF_HOLIDAYS,
    CONF_HOST,
    CONF_IDEAL_CYCLE_TIME,
    CONF_INGEST,
    CONF_INTERVAL,
    CONF_LOSS_CLASSES,
    CONF_MACHINES,
    CONF_MAX_BATCH,
    CONF_MAX_CLOCK_SKEW,
    CONF_MAX_GAP,
    CONF_MODBUS,
    CONF_NAME,
    CONF_OEE_INTERVAL,
    CONF_OFFSET,
    CONF_PERFORMANCE,
    CONF_PLANNED_DOWNTIME,
    CONF_PORT,
    CONF_RATE,
    CONF_REGISTER_TYPE,
    CONF_REGISTERS,
    CONF_REPORTING_INTERVAL,
    CONF_REPORTS,
    CONF_ROLLING_WINDOW,
    CONF_SCALE,
    CONF_SCHEDULE,
    CONF_SCHEDULE_KIND,
    CONF_SENSORS,
    CONF_SHIFTS,
    CONF_SIMULATE,
    CONF_SITES,
    CONF_START,
    CONF_TARGET,
    CONF_TIME_ZONE,
    CONF_TIMEOUT,
    CONF_UNIT,
    CONF_UNKNOWN_AS,
    CONF_VALID_RANGE,
    CONF_WEEKDAYS,
    CONF_WORD_ORDER,
    FIELD_REASON,
    FIELD_REJECTS,
    FIELD_RUN_STATE,
    FIELD_TOTAL,
    REPORT_FORMATS,
    RESERVED_FIELDS,
)

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DATA_TYPES = ("int16", "uint16", "int32", "uint32", "float32")
REGISTER_TYPES = ("holding", "input", "coil", "discrete")
REPORT_SCHEDULES = ("daily", "weekly", "monthly")
SCALAR_TARGETS = (FIELD_RUN_STATE, FIELD_REASON, FIELD_TOTAL, FIELD_REJECTS)


def _weekday(value: Any) -> int:
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    text = cv.string(value).strip().lower()[:3]
    if text in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(text)
    raise vol.Invalid(f"expected a weekday such as 'mon' or 0 (Monday) to 6, got {value!r}")


def _range(value: Any) -> tuple[float | None, float | None]:
    """``[low, high]`` (either may be null) or ``{min: .., max: ..}``."""
    if isinstance(value, dict):
        value = [value.get("min"), value.get("max")]
    if not isinstance(value, list) or len(value) != 2:
        raise vol.Invalid("expected [low, high] or {min: low, max: high}")
    low = None if value[0] is None else cv.number(value[0])
    high = None if value[1] is None else cv.number(value[1])
    if low is not None and high is not None and low > high:
        raise vol.Invalid(f"the low end {low} is above the high end {high}")
    return low, high


def _datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(cv.string(value).strip())
    except ValueError:
        raise vol.Invalid(
            f"expected a date and time such as '2025-03-01 06:00', got {value!r}"
        ) from None


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(cv.string(value).strip())
    except ValueError:
        raise vol.Invalid(f"expected a date such as '2025-12-25', got {value!r}") from None


def _seconds(value: Any) -> float:
    """A duration as a number of seconds or any time period form; must be positive."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        seconds = cv.time_period(value).total_seconds()
    if seconds <= 0:
        raise vol.Invalid(f"expected a positive duration, got {value!r}")
    return seconds


def _codes(value: Any) -> list[int]:
    return [cv.int_in_range(0)(code) for code in cv.ensure_list(value)]


SENSOR_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME): cv.slug,
        vol.Optional(CONF_UNIT): cv.string,
        vol.Optional(CONF_DEVICE_CLASS): cv.string,
        vol.Optional(CONF_VALID_RANGE): _range,
        vol.Optional(CONF_EXPECTED_RANGE): _range,
        vol.Optional(CONF_BASELINE): cv.number,
    }
)

BREAK_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME): cv.string,
        vol.Required(CONF_START): cv.time,
        vol.Required(CONF_END): cv.time,
    }
)

SHIFT_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME): cv.string,
        vol.Required(CONF_START): cv.time,
        vol.Required(CONF_END): cv.time,
        vol.Optional(CONF_WEEKDAYS, default=list(range(7))): vol.All(cv.ensure_list, [_weekday]),
        vol.Optional(CONF_BREAKS, default=list): vol.All(cv.ensure_list, [BREAK_SCHEMA]),
    }
)

DOWNTIME_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME): cv.string,
        vol.Required(CONF_START): _datetime,
        vol.Required(CONF_END): _datetime,
    }
)

SCHEDULE_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_TIME_ZONE): cv.time_zone,
        vol.Optional(CONF_SHIFTS, default=list): vol.All(cv.ensure_list, [SHIFT_SCHEMA]),
        vol.Optional(CONF_PLANNED_DOWNTIME, default=list): vol.All(
            cv.ensure_list, [DOWNTIME_SCHEMA]
        ),
        vol.Optional(CONF_HOLIDAYS, default=list): vol.All(cv.ensure_list, [_date]),
    }
)


def _target(value: Any) -> str:
    """``run_state``, ``reason``, ``total``, ``rejects`` or ``sensor:<name>``."""
    text = cv.string(value).strip()
    if text in SCALAR_TARGETS:
        return text
    if text.startswith("sensor:") and cv.slug(text[7:]) == text[7:]:
        return text
    raise vol.Invalid(
        f"expected one of {', '.join(SCALAR_TARGETS)} or sensor:<name>, got {value!r}"
    )


REGISTER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_TARGET): _target,
        vol.Optional(CONF_REGISTER_TYPE, default="holding"): vol.In(REGISTER_TYPES),
        vol.Required(CONF_ADDRESS): cv.int_in_range(0, 65535),
        vol.Optional(CONF_DATA_TYPE, default="uint16"): vol.In(DATA_TYPES),
        vol.Optional(CONF_WORD_ORDER, default="big"): vol.In(("big", "little")),
        vol.Optional(CONF_SCALE, default=1.0): cv.number,
        vol.Optional(CONF_OFFSET, default=0.0): cv.number,
    }
)

MODBUS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): cv.string,
        vol.Optional(CONF_PORT, default=502): cv.port,
        vol.Optional(CONF_DEVICE_ID, default=1): cv.int_in_range(0, 255),
        vol.Optional(CONF_INTERVAL, default=5.0): _seconds,
        vol.Optional(CONF_TIMEOUT, default=2.0): _seconds,
        vol.Required(CONF_REGISTERS): vol.All(cv.ensure_list, vol.Length(min=1), [REGISTER_SCHEMA]),
    }
)


def _unique_sensors(machine: dict[str, Any]) -> dict[str, Any]:
    names = [sensor[CONF_NAME] for sensor in machine[CONF_SENSORS]]
    for name in names:
        if names.count(name) > 1:
            raise vol.Invalid(f"sensor {name!r} is listed twice", path=[CONF_SENSORS])
        if name in RESERVED_FIELDS:
            raise vol.Invalid(f"{name!r} is a reserved field name", path=[CONF_SENSORS])
    modbus = machine.get(CONF_MODBUS)
    for index, register in enumerate(modbus[CONF_REGISTERS] if modbus else []):
        target: str = register[CONF_TARGET]
        if target.startswith("sensor:") and target[7:] not in names:
            raise vol.Invalid(
                f"no sensor named {target[7:]!r} on this machine",
                path=[CONF_MODBUS, CONF_REGISTERS, index, CONF_TARGET],
            )
    return machine


MACHINE_SCHEMA = vol.All(
    cv.empty_mapping,
    {
        vol.Optional(CONF_NAME): cv.string,
        vol.Optional(CONF_IDEAL_CYCLE_TIME): _seconds,
        vol.Optional(CONF_REPORTING_INTERVAL, default=10.0): _seconds,
        vol.Optional(CONF_MAX_GAP): _seconds,
        vol.Optional(CONF_COUNTER_WIDTH, default=32): vol.In((16, 32, 64)),
        vol.Optional(CONF_SENSORS, default=list): vol.All(cv.ensure_list, [SENSOR_SCHEMA]),
        vol.Optional(CONF_SCHEDULE): SCHEDULE_SCHEMA,
        vol.Optional(CONF_MODBUS): MODBUS_SCHEMA,
    },
    _unique_sensors,
)

AREA_SCHEMA = vol.All(
    cv.empty_mapping,
    {
        vol.Optional(CONF_NAME): cv.string,
        vol.Optional(CONF_MACHINES, default=dict): vol.Schema({cv.slug: MACHINE_SCHEMA}),
    },
)

SITE_SCHEMA = vol.All(
    cv.empty_mapping,
    {
        vol.Optional(CONF_NAME): cv.string,
        vol.Optional(CONF_TIME_ZONE, default="UTC"): cv.time_zone,
        vol.Optional(CONF_SCHEDULE): SCHEDULE_SCHEMA,
        vol.Optional(CONF_AREAS, default=dict): vol.Schema({cv.slug: AREA_SCHEMA}),
    },
)

LOSS_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_AVAILABILITY, default=list): _codes,
        vol.Optional(CONF_PERFORMANCE, default=list): _codes,
        vol.Optional(CONF_EXCLUDED, default=list): _codes,
        vol.Optional(CONF_UNKNOWN_AS, default="availability"): vol.In(("availability", "excluded")),
    }
)

INGEST_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_RATE, default=200.0): vol.All(cv.number, vol.Range(min=0.001)),
        vol.Optional(CONF_BURST, default=5000): cv.int_in_range(1),
        vol.Optional(CONF_MAX_BATCH, default=5000): cv.int_in_range(1),
        vol.Optional(CONF_MAX_CLOCK_SKEW, default=300.0): _seconds,
        vol.Optional(CONF_DEDUPE_SIZE, default=100_000): cv.int_in_range(1),
    }
)

REPORTS_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_SCHEDULE_KIND): vol.In(REPORT_SCHEDULES),
        vol.Optional(CONF_FOLDER, default="reports"): cv.string,
        vol.Optional(CONF_EMAIL_TARGET): cv.slug,
        vol.Optional(CONF_FORMATS, default=["pdf", "csv"]): vol.All(
            cv.ensure_list, [vol.In(REPORT_FORMATS)]
        ),
    }
)


def _subsection(schema: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return vol.All(cv.empty_mapping, schema)


def _machine_id(value: Any) -> str:
    parts = cv.string(value).strip().split("/")
    if len(parts) != 3 or any(cv.slug(part) != part for part in parts):
        raise vol.Invalid(f"expected a machine id such as 'plant1/press/p1', got {value!r}")
    return "/".join(parts)


def _one_choice(simulate: dict[str, Any]) -> dict[str, Any]:
    if simulate[CONF_ALL] and CONF_MACHINES in simulate:
        raise vol.Invalid("give either machines: [...] or all: true, not both")
    if not simulate[CONF_ALL] and not simulate.get(CONF_MACHINES):
        raise vol.Invalid(
            "list the machines to simulate (machines: [site/area/machine]) or set all: true"
        )
    return simulate


SIMULATE_SCHEMA = vol.All(
    cv.empty_mapping,
    {
        vol.Optional(CONF_MACHINES): vol.All(cv.ensure_list, [_machine_id]),
        vol.Optional(CONF_ALL, default=False): cv.boolean,
        vol.Optional(CONF_INTERVAL, default=1.0): _seconds,
        vol.Optional(CONF_BATCH, default=1): cv.int_in_range(1, 1000),
        vol.Optional(CONF_MODBUS, default=False): cv.boolean,
    },
    _one_choice,
)
"""``simulate:``: machines fed by the built-in simulator (see :mod:`.simulate`)."""


def configured_machine_ids(config: dict[str, Any]) -> list[str]:
    """Every ``<site>/<area>/<machine>`` of a validated section, in configuration order."""
    return [
        f"{site}/{area}/{machine}"
        for site, site_conf in config[CONF_SITES].items()
        for area, area_conf in site_conf[CONF_AREAS].items()
        for machine in area_conf[CONF_MACHINES]
    ]


def _simulated_machines_exist(config: dict[str, Any]) -> dict[str, Any]:
    simulate = config.get(CONF_SIMULATE)
    known = configured_machine_ids(config)
    for index, machine_id in enumerate(simulate.get(CONF_MACHINES, []) if simulate else []):
        if machine_id not in known:
            raise vol.Invalid(
                f"no machine {machine_id!r} is configured under sites",
                path=[CONF_SIMULATE, CONF_MACHINES, index],
            )
    return config


CONFIG_SCHEMA = vol.Schema(
    vol.All(
        cv.empty_mapping,
        {
            vol.Optional(CONF_SITES, default=dict): vol.Schema({cv.slug: SITE_SCHEMA}),
            vol.Optional(CONF_LOSS_CLASSES, default=dict): _subsection(LOSS_SCHEMA),
            vol.Optional(CONF_INGEST, default=dict): _subsection(INGEST_SCHEMA),
            vol.Optional(CONF_REPORTS, default=dict): _subsection(REPORTS_SCHEMA),
            vol.Optional(CONF_SIMULATE): SIMULATE_SCHEMA,
            vol.Optional(CONF_FLUSH_INTERVAL, default=2.0): _seconds,
            vol.Optional(CONF_OEE_INTERVAL, default=60.0): _seconds,
            vol.Optional(CONF_ROLLING_WINDOW, default=900.0): _seconds,
        },
        _simulated_machines_exist,
    )
)
"""Validates the ``factory_machine:`` section; ``CONFIG_SCHEMA({})`` gives every default."""
