"""Alert states and transitions (ISA-18.2 / IEC 62682), as a pure function.

An alert's state is a set of orthogonal bits: process ``active``, ``acknowledged``,
``shelving``, ``suppressed``, ``out_of_service`` and ``latched``. The ISA-18.2 letter
(:class:`Label`) is derived from them. :func:`apply` takes a state, an event and the current
time and returns the new state with the effects the hub must carry out, or raises
:class:`IllegalTransition`. Times are float seconds since the Unix epoch (UTC).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from enum import StrEnum
from typing import Any, ClassVar, Final, Literal

from hub.alerts.shelving import (
    DEFAULT_MAX_SHELVE,
    END_CLEARED,
    END_EXPIRED,
    UNSHELVED,
    ShelveKind,
    Shelving,
    oneshot_shelve,
    timed_shelve,
)

Value = float | int | str | bool | None
"""A watched entity's value as recorded on an occurrence (JSON-compatible)."""

END_UNSHELVED: Final = "unshelved"


class IllegalTransition(Exception):
    """The event is not allowed in the alert's current state; the message says why."""


class Label(StrEnum):
    """ISA-18.2 state letters."""

    NORMAL = "A"
    UNACKNOWLEDGED = "B"
    ACKNOWLEDGED = "C"
    RTN_UNACKNOWLEDGED = "D"
    LATCHED = "E"
    SHELVED = "F"
    SUPPRESSED = "G"
    OUT_OF_SERVICE = "H"


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    """Per-alert settings that change how transitions behave.

    ``realarm_after`` (seconds) sends an acknowledged, still-active alert back to
    unacknowledged; ``realarm_limit`` caps how often that happens per occurrence.
    """

    can_acknowledge: bool = True
    latching: bool = False
    max_shelve: float = DEFAULT_MAX_SHELVE
    realarm_after: float | None = None
    realarm_limit: int | None = None


@dataclass(frozen=True, slots=True)
class AlertState:
    """The complete, serialisable state of one alert for one source entity.

    ``occurrence_id`` names the open occurrence (None when the alert is back in Normal);
    ``realarm_base`` is when the current occurrence was last annunciated as new.
    """

    active: bool = False
    acknowledged: bool = True
    shelving: Shelving = UNSHELVED
    suppressed: bool = False
    out_of_service: bool = False
    latched: bool = False
    occurrence_id: str | None = None
    active_since: float | None = None
    realarm_base: float | None = None
    realarm_count: int = 0

    @property
    def label(self) -> Label:
        """The ISA-18.2 letter; overlays (H, G, F) take precedence over the alarm states."""
        if self.out_of_service:
            return Label.OUT_OF_SERVICE
        if self.suppressed:
            return Label.SUPPRESSED
        if self.shelving.shelved:
            return Label.SHELVED
        if self.latched:
            return Label.LATCHED
        if self.active:
            return Label.ACKNOWLEDGED if self.acknowledged else Label.UNACKNOWLEDGED
        return Label.NORMAL if self.acknowledged else Label.RTN_UNACKNOWLEDGED

    @property
    def annunciating(self) -> bool:
        """False while shelved, suppressed or out of service: notifications are withheld."""
        return not (self.shelving.shelved or self.suppressed or self.out_of_service)

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON types."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["shelving"] = self.shelving.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AlertState:
        """Rebuild from :meth:`to_dict` output."""
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        values["shelving"] = Shelving.from_dict(data.get("shelving", UNSHELVED.to_dict()))
        return cls(**values)


def new_occurrence_id() -> str:
    """Return a fresh occurrence id (a random UUID in hex)."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of everything that can happen to an alert; ``actor`` is a user id or 'system'."""

    kind: ClassVar[str] = ""
    actor: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON types, tagged with ``kind``."""
        return {"kind": self.kind, **asdict(self)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Activate(Event):
    """The condition is in alarm (again). ``occurrence_id`` is used if a new one opens."""

    kind: ClassVar[str] = "activate"
    value: Value = None
    occurrence_id: str = field(default_factory=new_occurrence_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Clear(Event):
    """The condition has returned to normal."""

    kind: ClassVar[str] = "clear"
    value: Value = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Acknowledge(Event):
    """An operator acknowledges the alert."""

    kind: ClassVar[str] = "acknowledge"


@dataclass(frozen=True, slots=True, kw_only=True)
class ShelveTimed(Event):
    """Shelve for ``duration`` seconds (at most the policy's ``max_shelve``); needs a reason."""

    kind: ClassVar[str] = "shelve_timed"
    duration: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ShelveOneShot(Event):
    """Shelve until the alert next clears (or ``max_shelve`` passes); needs a reason."""

    kind: ClassVar[str] = "shelve_oneshot"


@dataclass(frozen=True, slots=True, kw_only=True)
class Unshelve(Event):
    """End a shelve early."""

    kind: ClassVar[str] = "unshelve"


@dataclass(frozen=True, slots=True, kw_only=True)
class ShelveExpired(Event):
    """The shelve's end time has come (sent by the hub's timer)."""

    kind: ClassVar[str] = "shelve_expired"


@dataclass(frozen=True, slots=True, kw_only=True)
class Suppress(Event):
    """Suppress by design (logic such as 'machine not running')."""

    kind: ClassVar[str] = "suppress"


@dataclass(frozen=True, slots=True, kw_only=True)
class Unsuppress(Event):
    """End suppression by design."""

    kind: ClassVar[str] = "unsuppress"


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoveFromService(Event):
    """Take the alert out of service (maintenance)."""

    kind: ClassVar[str] = "out_of_service"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnToService(Event):
    """Put the alert back in service."""

    kind: ClassVar[str] = "in_service"


@dataclass(frozen=True, slots=True, kw_only=True)
class Reset(Event):
    """Reset a latched alert whose condition has returned to normal."""

    kind: ClassVar[str] = "reset"


@dataclass(frozen=True, slots=True, kw_only=True)
class Realarm(Event):
    """The realarm time has passed (sent by the hub's timer)."""

    kind: ClassVar[str] = "realarm"


EVENT_TYPES: Final[dict[str, type[Event]]] = {
    cls.kind: cls
    for cls in (
        Activate,
        Clear,
        Acknowledge,
        ShelveTimed,
        ShelveOneShot,
        Unshelve,
        ShelveExpired,
        Suppress,
        Unsuppress,
        RemoveFromService,
        ReturnToService,
        Reset,
        Realarm,
    )
}
"""Every event class by its ``kind``."""


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """Rebuild an event from :meth:`Event.to_dict` output."""
    kind = data.get("kind")
    cls = EVENT_TYPES.get(str(kind))
    if cls is None:
        raise ValueError(f"unknown alert event kind {kind!r}")
    return cls(**{k: v for k, v in data.items() if k != "kind"})


class EffectKind(StrEnum):
    """What the hub must do after a transition."""

    OCCURRENCE_OPENED = "occurrence_opened"
    OCCURRENCE_UPDATED = "occurrence_updated"
    OCCURRENCE_CLOSED = "occurrence_closed"
    ANNUNCIATE = "annunciate"
    SHELVE_ENDED = "shelve_ended"


@dataclass(frozen=True, slots=True)
class Effect:
    """One consequence of a transition; ``detail`` qualifies it (an outcome or a reason)."""

    kind: EffectKind
    occurrence_id: str | None = None
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON types."""
        return {"kind": self.kind.value, "occurrence_id": self.occurrence_id, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class TransitionResult:
    """The state after an event and the effects to carry out, in order."""

    new_state: AlertState
    effects: tuple[Effect, ...] = ()

    def has(self, kind: EffectKind) -> bool:
        """True when an effect of ``kind`` is among the effects."""
        return any(effect.kind is kind for effect in self.effects)


def realarm_due(state: AlertState, policy: AlertPolicy) -> float | None:
    """When the next realarm is due, or None when none can happen."""
    if policy.realarm_after is None or not state.active or state.realarm_base is None:
        return None
    if policy.realarm_limit is not None and state.realarm_count >= policy.realarm_limit:
        return None
    return state.realarm_base + policy.realarm_after


def next_deadline(state: AlertState, policy: AlertPolicy) -> float | None:
    """The earliest time a timer event (shelve expiry, realarm) becomes due, if any."""
    times = [realarm_due(state, policy)]
    if state.shelving.shelved:
        times.append(state.shelving.until)
    due = [t for t in times if t is not None]
    return min(due) if due else None


def apply(
    state: AlertState, event: Event, now: float, policy: AlertPolicy | None = None
) -> TransitionResult:
    """Apply ``event`` at ``now`` to ``state`` under ``policy`` (defaults when None).

    Raises :class:`IllegalTransition` when the event makes no sense in ``state``, and
    :class:`~hub.alerts.shelving.ShelveError` for an invalid shelve request.
    """
    policy = policy or AlertPolicy()
    match event:
        case Activate():
            return _activate(state, event, now)
        case Clear():
            return _clear(state, policy)
        case Acknowledge():
            return _acknowledge(state, policy)
        case Reset():
            return _reset(state)
        case ShelveTimed() | ShelveOneShot():
            return _shelve(state, event, now, policy)
        case Unshelve():
            if not state.shelving.shelved:
                raise IllegalTransition("cannot unshelve: the alert is not shelved")
            return _end_shelve(state, END_UNSHELVED)
        case ShelveExpired():
            if not state.shelving.expired(now):
                raise IllegalTransition("cannot expire the shelve: no shelve has reached its end")
            return _end_shelve(state, END_EXPIRED)
        case Suppress() | Unsuppress():
            return _toggle_overlay(state, "suppressed", isinstance(event, Suppress))
        case RemoveFromService() | ReturnToService():
            return _toggle_overlay(state, "out_of_service", isinstance(event, RemoveFromService))
        case Realarm():
            return _realarm(state, now, policy)
    raise IllegalTransition(f"unknown alert event {type(event).__name__}")


def _activate(state: AlertState, event: Activate, now: float) -> TransitionResult:
    if state.active:
        return TransitionResult(
            state, (Effect(EffectKind.OCCURRENCE_UPDATED, state.occurrence_id, "retriggered"),)
        )
    effects: list[Effect] = []
    if state.occurrence_id is not None:
        effects.append(Effect(EffectKind.OCCURRENCE_CLOSED, state.occurrence_id, "superseded"))
    new = replace(
        state,
        active=True,
        acknowledged=False,
        latched=False,
        occurrence_id=event.occurrence_id,
        active_since=now,
        realarm_base=now,
        realarm_count=0,
    )
    effects.append(Effect(EffectKind.OCCURRENCE_OPENED, new.occurrence_id))
    if new.annunciating:
        effects.append(Effect(EffectKind.ANNUNCIATE, new.occurrence_id, "new"))
    return TransitionResult(new, tuple(effects))


def _clear(state: AlertState, policy: AlertPolicy) -> TransitionResult:
    if not state.active:
        raise IllegalTransition("cannot clear: the alert is not active")
    new = replace(state, active=False, active_since=None, realarm_base=None)
    effects: list[Effect] = []
    if policy.latching:
        new = replace(new, latched=True)
    elif state.acknowledged:
        effects.append(Effect(EffectKind.OCCURRENCE_CLOSED, state.occurrence_id, "cleared"))
        new = replace(new, occurrence_id=None)
    if state.shelving.kind is ShelveKind.ONESHOT:
        new = replace(new, shelving=UNSHELVED)
        effects.append(Effect(EffectKind.SHELVE_ENDED, state.occurrence_id, END_CLEARED))
    return TransitionResult(new, tuple(effects))


def _acknowledge(state: AlertState, policy: AlertPolicy) -> TransitionResult:
    if not policy.can_acknowledge:
        raise IllegalTransition("This alert cannot be acknowledged")
    if state.acknowledged:
        raise IllegalTransition("nothing to acknowledge: the alert is already acknowledged")
    if state.active or state.latched:
        return TransitionResult(replace(state, acknowledged=True))
    closed = Effect(EffectKind.OCCURRENCE_CLOSED, state.occurrence_id, "acknowledged")
    return TransitionResult(replace(state, acknowledged=True, occurrence_id=None), (closed,))


def _reset(state: AlertState) -> TransitionResult:
    if not state.latched:
        raise IllegalTransition(
            "cannot reset: only a latched alert whose condition has returned to normal resets"
        )
    closed = Effect(EffectKind.OCCURRENCE_CLOSED, state.occurrence_id, "reset")
    new = replace(state, latched=False, acknowledged=True, occurrence_id=None)
    return TransitionResult(new, (closed,))


def _shelve(
    state: AlertState, event: ShelveTimed | ShelveOneShot, now: float, policy: AlertPolicy
) -> TransitionResult:
    if state.out_of_service:
        raise IllegalTransition("cannot shelve: the alert is out of service")
    reason = event.reason or ""
    if isinstance(event, ShelveTimed):
        shelving = timed_shelve(now, event.duration, reason, event.actor, policy.max_shelve)
    else:
        shelving = oneshot_shelve(now, reason, event.actor, policy.max_shelve)
    return TransitionResult(replace(state, shelving=shelving))


def _resumed(state: AlertState, effects: list[Effect]) -> TransitionResult:
    """Finish a transition that lifted an overlay: annunciate an unacknowledged active alert."""
    if state.annunciating and state.active and not state.acknowledged:
        effects.append(Effect(EffectKind.ANNUNCIATE, state.occurrence_id, "resumed"))
    return TransitionResult(state, tuple(effects))


def _end_shelve(state: AlertState, why: str) -> TransitionResult:
    new = replace(state, shelving=UNSHELVED)
    return _resumed(new, [Effect(EffectKind.SHELVE_ENDED, state.occurrence_id, why)])


def _toggle_overlay(
    state: AlertState, name: Literal["suppressed", "out_of_service"], on: bool
) -> TransitionResult:
    current: bool = getattr(state, name)
    what = name.replace("_", " ")
    if current == on:
        raise IllegalTransition(f"the alert is {'already' if on else 'not'} {what}")
    if name == "suppressed":
        new = replace(state, suppressed=on)
    else:
        new = replace(state, out_of_service=on)
    return _resumed(new, []) if not on else TransitionResult(new)


def _realarm(state: AlertState, now: float, policy: AlertPolicy) -> TransitionResult:
    if policy.realarm_after is None:
        raise IllegalTransition("cannot realarm: realarm_after is not configured")
    if not state.active:
        raise IllegalTransition("cannot realarm: the alert is not active")
    due = realarm_due(state, policy)
    if due is None:
        raise IllegalTransition(f"cannot realarm: the limit of {policy.realarm_limit} is reached")
    if now < due:
        raise IllegalTransition(f"cannot realarm: not due for another {due - now:g} s")
    count = state.realarm_count + 1
    new = replace(state, acknowledged=False, realarm_base=now, realarm_count=count)
    effects = [Effect(EffectKind.OCCURRENCE_UPDATED, state.occurrence_id, "realarm")]
    if new.annunciating:
        effects.append(Effect(EffectKind.ANNUNCIATE, state.occurrence_id, "realarm"))
    return TransitionResult(new, tuple(effects))
