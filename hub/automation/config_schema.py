"""The ``automation:`` section: a list of automations in Home Assistant syntax.

Both generations are accepted: ``trigger:``/``platform:``/``condition:``/``action:``/
``service:`` and ``triggers:``/``trigger:``/``conditions:``/``actions:``/``action:``.
Errors keep the key the user wrote, so they point at the right line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import voluptuous as vol

from hub.automation.actions.schema import ActionSchema
from hub.automation.const import DEFAULT_MAX_RUNS, DEFAULT_STORED_TRACES, MODES
from hub.automation.platforms import Platforms
from hub.automation.validators import Validator, strict, template_complex
from hub.config import cv
from hub.config.nodes import location_of

_LOG_LEVELS = ("silent", "debug", "info", "warning", "error", "critical")


@dataclass(frozen=True, slots=True)
class AutomationConfig:
    """One validated automation."""

    id: str | None
    alias: str | None
    description: str | None
    mode: str
    max_runs: int
    max_exceeded: str
    variables: dict[str, Any]
    trigger_variables: dict[str, Any]
    triggers: list[dict[str, Any]]
    conditions: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    initial_state: bool | None
    stored_traces: int
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)
    """The mapping as written (annotated with file and line when read from YAML)."""

    @property
    def source(self) -> str | None:
        """``file:line`` where the automation was written, if known."""
        where = location_of(self.raw)
        if where is None or where.file is None:
            return None
        return f"{where.file}:{where.line}"


def refuse_blueprint(value: Any) -> Any:
    """``use_blueprint`` is refused: blueprints are not supported."""
    raise vol.Invalid(
        "blueprints are not supported; paste the automation with its triggers, conditions "
        "and actions written out instead of 'use_blueprint'"
    )


def _variables(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise vol.Invalid(f"expected a mapping of variables, got {cv.describe(value)}")
    return dict(template_complex(value))


def _canonical(value: dict[str, Any]) -> dict[str, Any]:
    for plural, singular in (("triggers", "trigger"), ("actions", "action")):
        if plural not in value and singular not in value:
            raise vol.Invalid(f"required key '{plural}' is missing (or write '{singular}:')")
    return value


def automation_validator(platforms: Platforms) -> Validator:
    """Validate one automation into an :class:`AutomationConfig`."""
    actions = ActionSchema(platforms)
    schema = strict(
        {
            vol.Optional("id"): cv.string,
            vol.Optional("alias"): cv.string,
            vol.Optional("description"): cv.string,
            vol.Optional("mode", default="single"): cv.one_of(*MODES),
            vol.Optional("max", default=DEFAULT_MAX_RUNS): cv.int_in_range(1),
            vol.Optional("max_exceeded", default="warning"): vol.All(
                cv.string, str.lower, cv.one_of(*_LOG_LEVELS)
            ),
            vol.Optional("variables"): _variables,
            vol.Optional("trigger_variables"): _variables,
            vol.Exclusive("trigger", "triggers"): actions.triggers,
            vol.Exclusive("triggers", "triggers"): actions.triggers,
            vol.Exclusive("condition", "conditions"): actions.conditions,
            vol.Exclusive("conditions", "conditions"): actions.conditions,
            vol.Exclusive("action", "actions"): actions.actions,
            vol.Exclusive("actions", "actions"): actions.actions,
            vol.Optional("initial_state"): cv.boolean,
            vol.Optional("trace"): strict(
                {
                    vol.Optional("stored_traces", default=DEFAULT_STORED_TRACES): cv.int_in_range(
                        0, 1000
                    )
                }
            ),
            vol.Optional("use_blueprint"): refuse_blueprint,
        },
        _canonical,
    )

    def validate(value: Any) -> AutomationConfig:
        data = schema(value)
        trace = data.get("trace") or {}
        return AutomationConfig(
            id=data.get("id"),
            alias=data.get("alias"),
            description=data.get("description"),
            mode=data["mode"],
            max_runs=data["max"],
            max_exceeded=data["max_exceeded"],
            variables=data.get("variables") or {},
            trigger_variables=data.get("trigger_variables") or {},
            triggers=data.get("triggers", data.get("trigger")) or [],
            conditions=data.get("conditions", data.get("condition")) or [],
            actions=data.get("actions", data.get("action")) or [],
            initial_state=data.get("initial_state"),
            stored_traces=trace.get("stored_traces", DEFAULT_STORED_TRACES),
            raw=value,
        )

    return validate


def _unique_ids(configs: list[AutomationConfig]) -> list[AutomationConfig]:
    seen: dict[str, int] = {}
    for index, config in enumerate(configs):
        if config.id is None:
            continue
        if config.id in seen:
            raise vol.Invalid(
                f"duplicate automation id '{config.id}' (also used by automation "
                f"{seen[config.id]}); ids must be unique",
                path=[index, "id"],
            )
        seen[config.id] = index
    return configs


def _as_list(value: Any) -> list[Any]:
    if value is None or (isinstance(value, Mapping) and not value):
        return []
    if isinstance(value, Mapping) and not any(
        key in value for key in ("trigger", "triggers", "action", "actions", "use_blueprint")
    ):
        return list(value.values())  # !include_dir_named: name → automation
    return cv.ensure_list(value)


def section_schema(platforms: Platforms) -> vol.Schema:
    """The schema of the whole ``automation:`` section, knowing ``platforms``."""
    return vol.Schema(vol.All(_as_list, [automation_validator(platforms)], _unique_ids))
