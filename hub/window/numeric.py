"""Turning entity state strings into numbers for the telemetry window."""

from __future__ import annotations

import math


def to_float(state_value: str) -> float | None:
    """Parse a state value as a finite number; ``None`` for anything else.

    Accepts what ``float()`` accepts (``"21.5"``, ``" -3 "``, ``"1e3"``, ``"1_000"``) and rejects
    ``"unknown"``, ``"unavailable"``, empty strings, NaN and infinities.
    """
    try:
        number = float(state_value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
