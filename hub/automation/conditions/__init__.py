"""Conditions: validation in every Home Assistant form, and traced checks."""

from hub.automation.conditions.compile import (
    Condition,
    ConditionCache,
    compile_condition,
    compile_conditions,
)
from hub.automation.conditions.schema import ConditionSchema

__all__ = [
    "Condition",
    "ConditionCache",
    "ConditionSchema",
    "compile_condition",
    "compile_conditions",
]
