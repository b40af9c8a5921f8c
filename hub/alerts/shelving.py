"""Shelving: an operator's temporary silencing of an alert, and automatic chatter protection.

Times are float seconds since the Unix epoch (UTC); durations are float seconds.
A shelved alert is still evaluated and recorded; only annunciation is withheld.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

DEFAULT_MAX_SHELVE: Final = 8 * 3600.0
"""Longest shelve allowed unless an alert sets its own ``max_shelve`` (8 hours)."""

SYSTEM_ACTOR: Final = "system"
"""Actor recorded for changes the hub makes by itself (expiry, auto-shelve)."""

END_EXPIRED: Final = "expired"
END_CLEARED: Final = "cleared"


class ShelveError(ValueError):
    """A shelve request was refused (bad duration or missing reason)."""


class ShelveKind(StrEnum):
    """The shelving sub-state (OPC UA Part 9 §5.8.17)."""

    UNSHELVED = "unshelved"
    TIMED = "timed"
    ONESHOT = "oneshot"


@dataclass(frozen=True, slots=True)
class Shelving:
    """Shelving of one alert: which kind, since when, until when, by whom and why.

    ``until`` is the automatic unshelve time; a one-shot shelve also ends at ``max_shelve``.
    """

    kind: ShelveKind = ShelveKind.UNSHELVED
    since: float | None = None
    until: float | None = None
    reason: str | None = None
    actor: str | None = None

    @property
    def shelved(self) -> bool:
        """True for a timed or one-shot shelve."""
        return self.kind is not ShelveKind.UNSHELVED

    def expired(self, now: float) -> bool:
        """True when the shelve has reached its automatic end time."""
        return self.shelved and self.until is not None and now >= self.until

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON types."""
        return {
            "kind": self.kind.value,
            "since": self.since,
            "until": self.until,
            "reason": self.reason,
            "actor": self.actor,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Shelving:
        """Rebuild from :meth:`to_dict` output."""
        return cls(
            kind=ShelveKind(data["kind"]),
            since=data.get("since"),
            until=data.get("until"),
            reason=data.get("reason"),
            actor=data.get("actor"),
        )


UNSHELVED: Final = Shelving()


def _check_reason(reason: str) -> str:
    cleaned = reason.strip()
    if not cleaned:
        raise ShelveError("a reason is required to shelve an alert")
    return cleaned


def _check_max(max_shelve: float) -> None:
    if max_shelve <= 0:
        raise ShelveError(f"max_shelve must be positive, got {max_shelve:g} s")


def timed_shelve(
    now: float, duration: float, reason: str, actor: str | None, max_shelve: float
) -> Shelving:
    """Return a timed shelve ending at ``now + duration``.

    Raises :class:`ShelveError` when ``duration`` is not in ``(0, max_shelve]`` or the reason
    is empty.
    """
    _check_max(max_shelve)
    if duration <= 0:
        raise ShelveError(f"shelve duration must be positive, got {duration:g} s")
    if duration > max_shelve:
        raise ShelveError(
            f"shelve duration {_human(duration)} exceeds the maximum of {_human(max_shelve)}"
        )
    return Shelving(ShelveKind.TIMED, now, now + duration, _check_reason(reason), actor)


def oneshot_shelve(now: float, reason: str, actor: str | None, max_shelve: float) -> Shelving:
    """Return a one-shot shelve: it ends when the alert next clears, or at ``max_shelve``."""
    _check_max(max_shelve)
    return Shelving(ShelveKind.ONESHOT, now, now + max_shelve, _check_reason(reason), actor)


def _human(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def peak_count(timestamps: Iterable[float], window: float) -> int:
    """Return the largest number of ``timestamps`` that fit in one span of ``window`` seconds.

    Two timestamps fit together when they are at most ``window`` apart.
    """
    ordered = sorted(timestamps)
    best = 0
    first = 0
    for last, ts in enumerate(ordered):
        while ts - ordered[first] > window:
            first += 1
        best = max(best, last - first + 1)
    return best


@dataclass(frozen=True, slots=True)
class ChatterPolicy:
    """When an alert counts as chattering, and for how long to auto-shelve it (opt-in)."""

    threshold: int = 3
    window: float = 60.0
    auto_shelve_for: float | None = None

    def reason(self) -> str:
        """The system reason recorded on an automatic shelve."""
        return f"chattering: {self.threshold} activations within {_human(self.window)}"


@dataclass(frozen=True, slots=True)
class AutoShelve:
    """A request, produced by chatter detection, to shelve an alert for ``duration`` seconds."""

    duration: float
    reason: str


@dataclass(frozen=True, slots=True)
class ChatterHistory:
    """Recent activation times of one alert, kept only as long as the policy window needs."""

    activations: tuple[float, ...] = ()

    def record(self, now: float, policy: ChatterPolicy) -> tuple[ChatterHistory, AutoShelve | None]:
        """Record an activation at ``now``.

        Returns the new history and, when the alert is chattering and the policy auto-shelves,
        the shelve to apply. After an auto-shelve the history starts afresh, so the next one
        needs ``threshold`` new activations.
        """
        recent = (*(ts for ts in self.activations if now - ts <= policy.window), now)
        if len(recent) < policy.threshold:
            return ChatterHistory(recent), None
        if policy.auto_shelve_for is None:
            return ChatterHistory(recent[-policy.threshold :]), None
        return ChatterHistory(), AutoShelve(policy.auto_shelve_for, policy.reason())

    def chattering(self, now: float, policy: ChatterPolicy) -> bool:
        """True when ``threshold`` activations fall within the window ending at ``now``."""
        recent = [ts for ts in self.activations if now - ts <= policy.window]
        return len(recent) >= policy.threshold

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON types."""
        return {"activations": list(self.activations)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChatterHistory:
        """Rebuild from :meth:`to_dict` output."""
        return cls(tuple(float(ts) for ts in data.get("activations", ())))
