"""Alert severity: ordering and the ThingsBoard mapping used for export and import."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Severity(StrEnum):
    """How urgent an alert is; compares by urgency (``CRITICAL > WARNING > INFO``)."""

    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Urgency as an integer: higher is more urgent."""
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_RANK: Final[dict[Severity, int]] = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}

TO_THINGSBOARD: Final[dict[Severity, str]] = {
    Severity.CRITICAL: "CRITICAL",
    Severity.WARNING: "WARNING",
    Severity.INFO: "INDETERMINATE",
}
"""Export mapping: each Fieldhub severity to one ThingsBoard ``AlarmSeverity``."""

FROM_THINGSBOARD: Final[dict[str, Severity]] = {
    "CRITICAL": Severity.CRITICAL,
    "MAJOR": Severity.CRITICAL,
    "MINOR": Severity.WARNING,
    "WARNING": Severity.WARNING,
    "INDETERMINATE": Severity.INFO,
}
"""Import mapping for all five ThingsBoard severities (MAJOR is critical, MINOR is warning)."""


def to_thingsboard(severity: Severity) -> str:
    """Return the ThingsBoard ``AlarmSeverity`` name for ``severity``."""
    return TO_THINGSBOARD[severity]


def from_thingsboard(name: str) -> Severity:
    """Return the severity for a ThingsBoard ``AlarmSeverity`` name (case-insensitive).

    Raises ``ValueError`` naming the accepted values when ``name`` is unknown.
    """
    try:
        return FROM_THINGSBOARD[name.strip().upper()]
    except KeyError:
        accepted = ", ".join(FROM_THINGSBOARD)
        message = f"unknown ThingsBoard severity {name!r}; expected one of {accepted}"
        raise ValueError(message) from None


def parse_severity(value: str) -> Severity:
    """Parse a Fieldhub severity name (case-insensitive), with a clear error when unknown."""
    try:
        return Severity(value.strip().lower())
    except ValueError:
        accepted = ", ".join(s.value for s in Severity)
        raise ValueError(f"unknown severity {value!r}; expected one of {accepted}") from None
