"""Condition evaluation with deadband and on/off delays.

An :class:`Evaluator` turns a stream of samples (a number, an entity state or a template's
boolean result) into a debounced ``active`` flag:

* thresholds (HH/H/L/LL, each optional) trip at ``x >= H`` / ``x <= L`` and, with a deadband,
  come back only at ``x < H - deadband`` / ``x > L + deadband``;
* the raw condition must hold for ``delay_on`` before the alert activates and be gone for
  ``delay_off`` before it returns to normal.

Its state (:class:`EvaluatorState`) is serialisable, so a restart in the middle of a delay
resumes it: the restored evaluator fires at the original deadline, not before and not twice.
Times are float seconds since the Unix epoch (UTC).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Final

from hub.alerts.model import Value

_TRUE_STRINGS: Final = frozenset({"true", "on", "yes", "1"})
_FALSE_STRINGS: Final = frozenset({"false", "off", "no", "0"})


class LimitKind(StrEnum):
    """Threshold limits, named as in ISA-18.2 practice."""

    HH = "hh"
    H = "h"
    L = "l"
    LL = "ll"

    @property
    def high(self) -> bool:
        """True for the upper limits (H, HH)."""
        return self in (LimitKind.H, LimitKind.HH)


_LEVEL_ORDER: Final = (LimitKind.HH, LimitKind.LL, LimitKind.H, LimitKind.L)


@dataclass(frozen=True, slots=True)
class Limit:
    """One limit with its own deadband (applied only on the way back)."""

    kind: LimitKind
    value: float
    deadband: float = 0.0

    def tripped(self, x: float, was_tripped: bool) -> bool:
        """Whether ``x`` is past this limit, given whether it was past it before."""
        band = self.deadband if was_tripped else 0.0
        if self.kind.high:
            return x >= self.value - band
        return x <= self.value + band


@dataclass(frozen=True, slots=True)
class ThresholdCondition:
    """Numeric limits; active while any limit is tripped."""

    limits: tuple[Limit, ...]

    def __post_init__(self) -> None:
        if not self.limits:
            raise ValueError("a threshold condition needs at least one limit")
        by_kind = {limit.kind: limit.value for limit in self.limits}
        if len(by_kind) != len(self.limits):
            raise ValueError("each limit (hh, h, l, ll) may be given only once")
        if any(limit.deadband < 0 for limit in self.limits):
            raise ValueError("deadband must not be negative")
        order = (LimitKind.LL, LimitKind.L, LimitKind.H, LimitKind.HH)
        present = [by_kind[k] for k in order if k in by_kind]
        if present != sorted(present):
            raise ValueError("limits must be ordered ll <= l <= h <= hh")

    @classmethod
    def from_values(
        cls,
        *,
        hh: float | None = None,
        h: float | None = None,
        l: float | None = None,  # noqa: E741 - the standard name of the low limit
        ll: float | None = None,
        deadband: float | Mapping[str, float] = 0.0,
    ) -> ThresholdCondition:
        """Build from optional limit values and one deadband or a deadband per limit name."""
        values = {LimitKind.HH: hh, LimitKind.H: h, LimitKind.L: l, LimitKind.LL: ll}
        limits = []
        for kind, value in values.items():
            if value is None:
                continue
            band = deadband.get(kind.value, 0.0) if isinstance(deadband, Mapping) else deadband
            limits.append(Limit(kind, float(value), float(band)))
        return cls(tuple(limits))


@dataclass(frozen=True, slots=True)
class StateCondition:
    """Active while the watched entity's state is one of ``states`` (HA's ``state:`` key)."""

    states: tuple[str, ...] = ("on",)


@dataclass(frozen=True, slots=True)
class BooleanCondition:
    """Active while the input (a template's result) is true."""


Condition = ThresholdCondition | StateCondition | BooleanCondition


@dataclass(frozen=True, slots=True)
class EvaluatorConfig:
    """What to watch and how long each change must persist (seconds)."""

    condition: Condition
    delay_on: float = 0.0
    delay_off: float = 0.0

    def __post_init__(self) -> None:
        if self.delay_on < 0 or self.delay_off < 0:
            raise ValueError("delay_on and delay_off must not be negative")


@dataclass(frozen=True, slots=True)
class EvaluatorState:
    """The evaluator's memory.

    ``raw`` is the condition after deadband, ``active`` the debounced output, ``pending_since``
    when ``raw`` started to differ from ``active``, ``tripped`` the threshold limits past.
    """

    raw: bool = False
    active: bool = False
    pending_since: float | None = None
    tripped: tuple[LimitKind, ...] = ()
    last_value: Value = None

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON types."""
        return {
            "raw": self.raw,
            "active": self.active,
            "pending_since": self.pending_since,
            "tripped": [kind.value for kind in self.tripped],
            "last_value": self.last_value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EvaluatorState:
        """Rebuild from :meth:`to_dict` output."""
        return cls(
            raw=bool(data.get("raw", False)),
            active=bool(data.get("active", False)),
            pending_since=data.get("pending_since"),
            tripped=tuple(LimitKind(k) for k in data.get("tripped", ())),
            last_value=data.get("last_value"),
        )


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The outcome of one sample or tick.

    ``changed`` is True exactly when ``active`` flipped; ``level`` is the most severe tripped
    limit while active (HH, then LL, H, L); ``deadline`` is when a pending change will take
    effect if nothing else happens.
    """

    active: bool
    changed: bool
    level: LimitKind | None
    deadline: float | None


def _as_float(value: Value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return None if math.isnan(number) else number


def _as_bool(value: Value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE_STRINGS:
            return True
        if text in _FALSE_STRINGS:
            return False
    return None


class Evaluator:
    """Debounced evaluation of one alert condition for one source.

    Samples that cannot be read (``None``, ``unknown``, ``unavailable`` for a numeric or
    boolean input) hold the previous condition rather than clearing it.
    """

    def __init__(self, config: EvaluatorConfig, state: EvaluatorState | None = None) -> None:
        self._config = config
        self._state = state or EvaluatorState()

    @property
    def config(self) -> EvaluatorConfig:
        """The configuration this evaluator runs."""
        return self._config

    @property
    def state(self) -> EvaluatorState:
        """The current (immutable, serialisable) state."""
        return self._state

    @property
    def deadline(self) -> float | None:
        """When the pending change takes effect, or None when nothing is pending."""
        pending = self._state.pending_since
        if pending is None:
            return None
        delay = self._config.delay_on if self._state.raw else self._config.delay_off
        return pending + delay

    def update(self, value: Value, now: float) -> Evaluation:
        """Feed a sample taken at ``now``."""
        raw, tripped = self._raw(value)
        state = replace(self._state, raw=raw, tripped=tripped, last_value=value)
        if raw != self._state.raw:
            state = replace(state, pending_since=now if raw != state.active else None)
        self._state = state
        return self._settle(now)

    def tick(self, now: float) -> Evaluation:
        """Let time pass without a new sample (call at :attr:`deadline`)."""
        return self._settle(now)

    def to_dict(self) -> dict[str, Any]:
        """Serialise the state (the configuration comes from YAML)."""
        return self._state.to_dict()

    @classmethod
    def from_dict(cls, config: EvaluatorConfig, data: Mapping[str, Any]) -> Evaluator:
        """Rebuild an evaluator for ``config`` from :meth:`to_dict` output."""
        return cls(config, EvaluatorState.from_dict(data))

    def _raw(self, value: Value) -> tuple[bool, tuple[LimitKind, ...]]:
        condition = self._config.condition
        held = (self._state.raw, self._state.tripped)
        if isinstance(condition, ThresholdCondition):
            x = _as_float(value)
            if x is None:
                return held
            was = set(self._state.tripped)
            tripped = tuple(
                limit.kind for limit in condition.limits if limit.tripped(x, limit.kind in was)
            )
            return bool(tripped), tripped
        if isinstance(condition, StateCondition):
            if value is None:
                return held
            return str(value) in condition.states, ()
        flag = _as_bool(value)
        return held if flag is None else (flag, ())

    def _settle(self, now: float) -> Evaluation:
        state = self._state
        changed = False
        if state.raw == state.active:
            state = replace(state, pending_since=None)
        else:
            if state.pending_since is None:
                state = replace(state, pending_since=now)
            delay = self._config.delay_on if state.raw else self._config.delay_off
            if now - (state.pending_since or now) >= delay:
                state = replace(state, active=state.raw, pending_since=None)
                changed = True
        self._state = state
        return Evaluation(state.active, changed, self._level(), self.deadline)

    def _level(self) -> LimitKind | None:
        if not self._state.active:
            return None
        return next((k for k in _LEVEL_ORDER if k in self._state.tripped), None)
