"""Names shared by the automation engine's modules."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "automation"
DEFAULT_STORED_TRACES: Final = 5
DEFAULT_MAX_RUNS: Final = 10

MODE_SINGLE: Final = "single"
MODE_RESTART: Final = "restart"
MODE_QUEUED: Final = "queued"
MODE_PARALLEL: Final = "parallel"
MODES: Final = (MODE_SINGLE, MODE_RESTART, MODE_QUEUED, MODE_PARALLEL)

ATTR_LAST_TRIGGERED: Final = "last_triggered"
ATTR_CURRENT: Final = "current"
ATTR_MODE: Final = "mode"
ATTR_MAX: Final = "max"
ATTR_ID: Final = "id"
ATTR_FRIENDLY_NAME: Final = "friendly_name"

TRIGGER_COMMON_KEYS: Final = ("platform", "trigger", "id", "variables", "enabled", "alias")
"""Keys every trigger may carry; removed before the platform's schema sees the mapping."""

CONDITION_COMMON_KEYS: Final = ("condition", "alias", "enabled")
"""Keys every condition may carry; removed before the platform's schema sees the mapping."""

ACTION_COMMON_KEYS: Final = ("alias", "enabled", "continue_on_error")
"""Keys every action may carry."""

FIRE_ON_START: Final = "fire_on_start"
"""numeric_state option: also fire when the value is already past the threshold at start."""
