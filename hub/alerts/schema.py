"""The ``alert:`` section: Home Assistant's alert keys plus Fieldhub's alarm-management keys.

The section is a mapping keyed by alert id, exactly as in Home Assistant, so a pasted HA block
validates unchanged. One key is reserved: ``defaults`` holds section-wide settings (today the
notifiers per severity). Validation gives an :class:`AlertSection` of :class:`AlertConfig`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import voluptuous as vol

from hub.alerts.evaluator import (
    BooleanCondition,
    Condition,
    EvaluatorConfig,
    StateCondition,
    ThresholdCondition,
)
from hub.alerts.model import AlertPolicy
from hub.alerts.repeat import MIN_REPEAT_MINUTES, RepeatConfig
from hub.alerts.severity import Severity
from hub.alerts.shelving import DEFAULT_MAX_SHELVE, ChatterPolicy
from hub.automation.templates import TemplateError, check_syntax
from hub.config import cv

DOMAIN: Final = "alert"
DEFAULTS_KEY: Final = "defaults"
RESERVED_IDS: Final = (DEFAULTS_KEY, "kpi")
"""Keys that cannot name an alert: ``defaults`` (section settings), ``kpi`` (an API path)."""

_LIMIT_KEYS: Final = ("hh", "h", "l", "ll")
_HA_TEXT_KEYS: Final = ("title", "message", "done_message")


@dataclass(frozen=True, slots=True)
class AlertConfig:
    """One validated alert.

    ``condition`` is None for a manual alert (no ``entity_id``, no ``value_template``): it is
    raised and cleared only by the ``alert.raise`` / ``alert.clear`` actions. ``notifiers`` is
    None when the alert does not list its own, so the severity defaults apply.
    """

    alert_id: str
    name: str
    severity: Severity
    repeat: RepeatConfig
    policy: AlertPolicy
    entity_id: str | None = None
    condition: Condition | None = None
    value_template: str | None = None
    delay_on: float = 0.0
    delay_off: float = 0.0
    chatter: ChatterPolicy | None = None
    suppress_when: str | None = None
    title: str | None = None
    message: str | None = None
    done_message: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    notifiers: tuple[str, ...] | None = None

    @property
    def manual(self) -> bool:
        """True when only ``alert.raise`` / ``alert.clear`` drive the alert."""
        return self.condition is None

    @property
    def evaluator_config(self) -> EvaluatorConfig | None:
        """The evaluator settings, or None for a manual alert."""
        if self.condition is None:
            return None
        return EvaluatorConfig(self.condition, self.delay_on, self.delay_off)


@dataclass(frozen=True, slots=True)
class AlertSection:
    """The validated ``alert:`` section."""

    alerts: Mapping[str, AlertConfig] = field(default_factory=dict)
    default_notifiers: Mapping[Severity, tuple[str, ...]] = field(default_factory=dict)

    def notifiers_for(self, config: AlertConfig) -> tuple[str, ...]:
        """The alert's own ``notifiers`` if it lists any, else its severity's defaults."""
        if config.notifiers is not None:
            return config.notifiers
        return self.default_notifiers.get(config.severity, ())


# -- value validators ------------------------------------------------------------------------
def _template(value: Any) -> str:
    text = cv.string(value)
    try:
        check_syntax(text)
    except TemplateError as err:
        raise vol.Invalid(str(err)) from None
    return text


def _state_text(value: Any) -> str:
    """An entity state; YAML's unquoted on/off (read as true/false) mean "on"/"off"."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return cv.string(value)


def _seconds(value: Any) -> float:
    return cv.positive_time_period(value).total_seconds()


def _positive_seconds(value: Any) -> float:
    seconds = _seconds(value)
    if seconds <= 0:
        raise vol.Invalid(f"expected a time period longer than zero, got {cv.describe(value)}")
    return seconds


def _deadband(value: Any) -> float | dict[str, float]:
    if isinstance(value, Mapping):
        schema = vol.Schema({vol.Optional(key): cv.positive_float for key in _LIMIT_KEYS})
        return dict(schema(value))
    return cv.positive_float(value)


_NOTIFIERS = vol.All(cv.ensure_list, [cv.string])

CHATTER_SCHEMA: Final = vol.Schema(
    {
        vol.Optional("threshold", default=3): cv.int_in_range(2),
        vol.Optional("window", default=60.0): _positive_seconds,
        vol.Optional("auto_shelve"): _positive_seconds,
    }
)

ALERT_SCHEMA: Final = vol.Schema(
    {
        # Home Assistant's keys
        vol.Optional("name"): cv.string,
        vol.Optional("entity_id"): cv.entity_id,
        vol.Optional("state"): vol.All(cv.ensure_list, vol.Length(min=1), [_state_text]),
        vol.Required("repeat"): vol.All(
            cv.ensure_list, vol.Length(min=1), [cv.in_range(MIN_REPEAT_MINUTES)]
        ),
        vol.Optional("can_acknowledge", default=True): cv.boolean,
        vol.Optional("skip_first", default=False): cv.boolean,
        vol.Optional("title"): _template,
        vol.Optional("message"): _template,
        vol.Optional("done_message"): _template,
        vol.Optional("data", default={}): vol.Schema({}, extra=vol.ALLOW_EXTRA),
        vol.Optional("notifiers"): _NOTIFIERS,
        # Fieldhub's keys
        vol.Optional("severity", default=Severity.WARNING.value): cv.one_of(
            *(s.value for s in Severity)
        ),
        vol.Optional("above"): cv.number,
        vol.Optional("below"): cv.number,
        vol.Optional("limits"): vol.Schema({vol.Optional(key): cv.number for key in _LIMIT_KEYS}),
        vol.Optional("value_template"): _template,
        vol.Optional("deadband"): _deadband,
        vol.Optional("delay_on", default=0.0): _seconds,
        vol.Optional("delay_off", default=0.0): _seconds,
        vol.Optional("latched", default=False): cv.boolean,
        vol.Optional("realarm_after"): _positive_seconds,
        vol.Optional("realarm_limit"): cv.int_in_range(1),
        vol.Optional("max_shelve", default=DEFAULT_MAX_SHELVE): _positive_seconds,
        vol.Optional("suppress_when"): _template,
        vol.Optional("chatter"): CHATTER_SCHEMA,
    }
)
"""Schema of one alert's mapping (before the cross-key checks of :func:`build_alert`)."""

DEFAULTS_SCHEMA: Final = vol.Schema(
    {
        vol.Optional("notifiers", default={}): vol.Schema(
            {vol.Optional(s.value): _NOTIFIERS for s in Severity}
        ),
    }
)


# -- cross-key checks ------------------------------------------------------------------------
def _fail(key: str, message: str) -> vol.Invalid:
    return vol.Invalid(message, path=[key])


def _threshold(data: Mapping[str, Any]) -> ThresholdCondition:
    limits = dict(data.get("limits") or {})
    for key, limit in (("above", "h"), ("below", "l")):
        if key in data:
            if "limits" in data:
                raise _fail(key, f"use either '{key}' or 'limits', not both")
            limits[limit] = data[key]
    if not limits:
        raise _fail("limits", "give at least one of hh, h, l, ll")
    deadband = data.get("deadband", 0.0)
    if isinstance(deadband, Mapping):
        for key in deadband:
            if key not in limits:
                raise _fail("deadband", f"deadband for '{key}' but no '{key}' limit is set")
    try:
        return ThresholdCondition.from_values(**limits, deadband=deadband)
    except ValueError as err:
        raise _fail("limits" if "limits" in data else "below", str(err)) from None


def _condition(data: Mapping[str, Any]) -> Condition | None:
    numeric = [key for key in ("above", "below", "limits") if key in data]
    given = [key for key in ("state", "value_template") if key in data] + numeric[:1]
    if len(given) > 1:
        raise _fail(given[1], f"give one condition: '{given[0]}' or '{given[1]}', not both")
    if "value_template" in data:
        if "entity_id" in data:
            raise _fail(
                "entity_id", "a value_template alert watches its template; remove entity_id"
            )
        return BooleanCondition()
    if "deadband" in data and not numeric:
        raise _fail("deadband", "deadband applies to 'above', 'below' or 'limits'")
    if "entity_id" not in data:
        if given:
            raise _fail(given[0], f"'{given[0]}' needs an entity_id to watch")
        return None
    if numeric:
        return _threshold(data)
    return StateCondition(tuple(data.get("state", ["on"])))


def build_alert(alert_id: str, data: Mapping[str, Any]) -> AlertConfig:
    """Turn one validated alert mapping into an :class:`AlertConfig` (raises vol.Invalid)."""
    condition = _condition(data)
    if condition is None and (data["delay_on"] or data["delay_off"]):
        key = "delay_on" if data["delay_on"] else "delay_off"
        raise _fail(key, "delays apply to alerts that watch an entity or a template")
    max_shelve = float(data["max_shelve"])
    chatter = None
    if "chatter" in data:
        spec = data["chatter"]
        auto = spec.get("auto_shelve")
        if auto is not None and auto > max_shelve:
            raise _fail(
                "chatter",
                f"auto_shelve ({auto:g} s) must not exceed max_shelve ({max_shelve:g} s)",
            )
        chatter = ChatterPolicy(spec["threshold"], spec["window"], auto)
    repeat = RepeatConfig.from_repeat(
        data["repeat"], skip_first=data["skip_first"], can_acknowledge=data["can_acknowledge"]
    )
    policy = AlertPolicy(
        can_acknowledge=data["can_acknowledge"],
        latching=data["latched"],
        max_shelve=max_shelve,
        realarm_after=data.get("realarm_after"),
        realarm_limit=data.get("realarm_limit"),
    )
    notifiers = data.get("notifiers")
    return AlertConfig(
        alert_id=alert_id,
        name=data.get("name") or alert_id,
        severity=Severity(data["severity"]),
        repeat=repeat,
        policy=policy,
        entity_id=data.get("entity_id"),
        condition=condition,
        value_template=data.get("value_template"),
        delay_on=data["delay_on"],
        delay_off=data["delay_off"],
        chatter=chatter,
        suppress_when=data.get("suppress_when"),
        title=data.get("title"),
        message=data.get("message"),
        done_message=data.get("done_message"),
        data=dict(data["data"]),
        notifiers=None if notifiers is None else tuple(notifiers),
    )


def _reserved(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    if "kpi" in value:
        raise _fail("kpi", "'kpi' is reserved (it is an API path); give the alert another id")
    defaults = value.get(DEFAULTS_KEY)
    if isinstance(defaults, Mapping) and ("repeat" in defaults or "entity_id" in defaults):
        raise _fail(
            DEFAULTS_KEY,
            "'defaults' holds section-wide settings and cannot name an alert; "
            "give the alert another id",
        )
    return value


def _to_section(value: Mapping[str, Any]) -> AlertSection:
    errors: list[vol.Invalid] = []
    alerts: dict[str, AlertConfig] = {}
    for alert_id, data in value.items():
        if alert_id == DEFAULTS_KEY:
            continue
        try:
            alerts[str(alert_id)] = build_alert(str(alert_id), data)
        except vol.Invalid as err:
            err.prepend([alert_id])
            errors.append(err)
    if errors:
        raise vol.MultipleInvalid(errors)
    defaults = value.get(DEFAULTS_KEY) or DEFAULTS_SCHEMA({})
    notifiers = {Severity(k): tuple(v) for k, v in defaults["notifiers"].items()}
    return AlertSection(alerts, notifiers)


SECTION_VALIDATOR: Final[Callable[[Any], AlertSection]] = vol.All(
    cv.empty_mapping,
    _reserved,
    {vol.Optional(DEFAULTS_KEY): DEFAULTS_SCHEMA, cv.slug: ALERT_SCHEMA},
    _to_section,
)

CONFIG_SCHEMA: Final = vol.Schema(SECTION_VALIDATOR)
"""Validates the ``alert:`` section (absent or empty is fine) into an :class:`AlertSection`."""
