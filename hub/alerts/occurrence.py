"""Occurrence records and the audit trail.

An occurrence is one episode of an alert for one source entity: it opens on activation and
closes when nothing more is owed (cleared and acknowledged, reset, or superseded by a new
activation). :class:`OccurrenceBook` turns transition results into occurrence records and
audit entries, and keeps at most one open occurrence per (alert id, source entity).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from hub.alerts.model import (
    Acknowledge,
    Activate,
    AlertState,
    Clear,
    EffectKind,
    Event,
    Reset,
    ShelveOneShot,
    ShelveTimed,
    TransitionResult,
    Value,
)
from hub.alerts.severity import Severity


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One recorded transition: when, what, who, why, and the ISA labels before and after."""

    ts: float
    action: str
    actor: str | None
    reason: str | None
    from_label: str
    to_label: str
    occurrence_id: str | None = None
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON types."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditEntry:
        """Rebuild from :meth:`to_dict` output."""
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One episode of an alert (ThingsBoard-style fields plus the audit trail).

    ``end_ts`` is the time of the last update; ``closed_ts`` and ``outcome`` are set when the
    occurrence closes (outcome: ``cleared``, ``acknowledged``, ``reset`` or ``superseded``).
    """

    id: str
    alert_id: str
    source: str
    severity: Severity
    start_ts: float
    end_ts: float
    first_value: Value = None
    last_value: Value = None
    ack_ts: float | None = None
    ack_by: str | None = None
    clear_ts: float | None = None
    closed_ts: float | None = None
    outcome: str | None = None
    retriggers: int = 0
    realarms: int = 0
    annunciated: bool = False
    shelved: bool = False
    audit: tuple[AuditEntry, ...] = ()

    @property
    def is_open(self) -> bool:
        """True until the occurrence is closed."""
        return self.closed_ts is None

    def active_duration(self, now: float) -> float:
        """Seconds the condition was active: until it cleared, else until ``now``."""
        end = self.clear_ts if self.clear_ts is not None else now
        return max(0.0, end - self.start_ts)

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON types."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["severity"] = self.severity.value
        data["audit"] = [entry.to_dict() for entry in self.audit]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Occurrence:
        """Rebuild from :meth:`to_dict` output."""
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        values["severity"] = Severity(data["severity"])
        values["audit"] = tuple(AuditEntry.from_dict(e) for e in data.get("audit", ()))
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Recorded:
    """What :meth:`OccurrenceBook.record` produced.

    ``audit`` is None for a re-trigger of an active alert (a value update, not a transition);
    ``changed`` lists every occurrence created, updated or closed, closed ones included.
    """

    audit: AuditEntry | None
    changed: tuple[Occurrence, ...]


def _detail(event: Event) -> str | None:
    if isinstance(event, ShelveTimed):
        return f"duration={event.duration:g}s"
    if isinstance(event, Activate | Clear) and event.value is not None:
        return f"value={event.value}"
    return None


class OccurrenceBook:
    """The open occurrences, at most one per (alert id, source entity)."""

    def __init__(self, open_occurrences: Iterable[Occurrence] = ()) -> None:
        self._open: dict[tuple[str, str], Occurrence] = {}
        for occurrence in open_occurrences:
            if occurrence.is_open:
                self._open[(occurrence.alert_id, occurrence.source)] = occurrence

    def get(self, alert_id: str, source: str) -> Occurrence | None:
        """The open occurrence of ``alert_id`` for ``source``, if any."""
        return self._open.get((alert_id, source))

    def open_occurrences(self) -> list[Occurrence]:
        """Every open occurrence, oldest first."""
        return sorted(self._open.values(), key=lambda o: (o.start_ts, o.id))

    def record(
        self,
        *,
        alert_id: str,
        source: str,
        severity: Severity,
        event: Event,
        before: AlertState,
        result: TransitionResult,
        now: float,
    ) -> Recorded:
        """Record the transition ``before`` → ``result`` caused by ``event`` at ``now``."""
        key = (alert_id, source)
        original = self._open.get(key)
        touched: dict[str, Occurrence] = {} if original is None else {original.id: original}
        value = event.value if isinstance(event, Activate | Clear) else None
        retrigger = False
        for effect in result.effects:
            if effect.kind is EffectKind.OCCURRENCE_OPENED and effect.occurrence_id is not None:
                for stale in list(touched.values()):
                    if stale.is_open:
                        touched[stale.id] = replace(stale, closed_ts=now, outcome="superseded")
                touched[effect.occurrence_id] = Occurrence(
                    effect.occurrence_id,
                    alert_id,
                    source,
                    severity,
                    now,
                    now,
                    first_value=value,
                    last_value=value,
                    shelved=result.new_state.shelving.shelved,
                )
                continue
            occ = touched.get(effect.occurrence_id or "")
            if occ is None:
                continue
            if effect.kind is EffectKind.OCCURRENCE_CLOSED:
                occ = replace(occ, closed_ts=now, outcome=effect.detail)
            elif effect.kind is EffectKind.ANNUNCIATE:
                occ = replace(occ, annunciated=True)
            elif effect.kind is EffectKind.OCCURRENCE_UPDATED and effect.detail == "realarm":
                occ = replace(occ, end_ts=now, realarms=occ.realarms + 1)
            elif effect.kind is EffectKind.OCCURRENCE_UPDATED:
                retrigger = True
                occ = replace(occ, end_ts=now, last_value=value, retriggers=occ.retriggers + 1)
            touched[occ.id] = occ

        after = result.new_state
        audit = None
        if not retrigger:
            target_id = after.occurrence_id or before.occurrence_id
            audit = AuditEntry(
                now,
                event.kind,
                event.actor,
                event.reason,
                before.label.value,
                after.label.value,
                target_id,
                _detail(event),
            )
            target = touched.get(target_id or "")
            if target is not None:
                touched[target.id] = _annotate(target, event, audit, value, now)

        for occ in touched.values():
            if occ.is_open:
                self._open[key] = occ
            elif self._open.get(key) is not None and self._open[key].id == occ.id:
                del self._open[key]
        changed = tuple(o for o in touched.values() if original is None or o is not original)
        return Recorded(audit, changed)

    def to_dict(self) -> dict[str, Any]:
        """Serialise the open occurrences."""
        return {"open": [o.to_dict() for o in self.open_occurrences()]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OccurrenceBook:
        """Rebuild from :meth:`to_dict` output."""
        return cls(Occurrence.from_dict(o) for o in data.get("open", ()))


def _annotate(
    occ: Occurrence, event: Event, audit: AuditEntry, value: Value, now: float
) -> Occurrence:
    """Copy the event's own facts (ack, clear, shelve) onto the occurrence and log the audit."""
    occ = replace(occ, end_ts=now, audit=(*occ.audit, audit))
    if isinstance(event, Clear) and occ.clear_ts is None:
        occ = replace(occ, clear_ts=now, last_value=value if value is not None else occ.last_value)
    elif isinstance(event, Acknowledge | Reset) and occ.ack_ts is None:
        occ = replace(occ, ack_ts=now, ack_by=event.actor)
    elif isinstance(event, ShelveTimed | ShelveOneShot):
        occ = replace(occ, shelved=True)
    return occ
