"""Repeat notifications with Home Assistant ``alert`` semantics, as a pure scheduler.

``repeat`` is a number or a list of minutes (each >= 0.016): intervals are taken in turn and
the last one is kept forever. With ``skip_first`` the first notification waits one interval.
An acknowledged (or muted, e.g. shelved) alert keeps its timer but sends nothing. The done
message is due only if at least one notification went out. Entity state: ``on`` firing and not
acknowledged, ``off`` firing and acknowledged, ``idle`` not firing. Times are float seconds
since the Unix epoch (UTC).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any, Final

from hub.alerts.model import IllegalTransition

MIN_REPEAT_MINUTES: Final = 0.016
"""Smallest repeat interval Home Assistant accepts (about one second)."""


class AlertEntityState(StrEnum):
    """The state an HA-style alert entity shows."""

    ON = "on"
    OFF = "off"
    IDLE = "idle"


@dataclass(frozen=True, slots=True)
class RepeatConfig:
    """The HA ``alert`` keys that drive notification timing."""

    repeat: tuple[float, ...]
    skip_first: bool = False
    can_acknowledge: bool = True

    def __post_init__(self) -> None:
        if not self.repeat:
            raise ValueError("repeat needs at least one interval (minutes)")
        for minutes in self.repeat:
            if minutes < MIN_REPEAT_MINUTES:
                raise ValueError(
                    f"repeat interval {minutes:g} min is below the minimum of "
                    f"{MIN_REPEAT_MINUTES} min"
                )

    @classmethod
    def from_repeat(
        cls,
        repeat: float | Sequence[float],
        *,
        skip_first: bool = False,
        can_acknowledge: bool = True,
    ) -> RepeatConfig:
        """Build from the YAML ``repeat`` value: one number or a list of numbers (minutes)."""
        minutes = (repeat,) if isinstance(repeat, int | float) else tuple(repeat)
        return cls(tuple(float(m) for m in minutes), skip_first, can_acknowledge)

    def interval(self, index: int) -> float:
        """The ``index``-th interval in seconds; past the end, the last one."""
        return self.repeat[min(index, len(self.repeat) - 1)] * 60.0


@dataclass(frozen=True, slots=True)
class RepeatState:
    """Serialisable scheduler state.

    ``next_index`` is the interval to use for the next scheduling, ``sent`` counts alert
    notifications sent while firing, ``done_pending`` records that at least one went out.
    """

    firing: bool = False
    acknowledged: bool = False
    next_index: int = 0
    next_due: float | None = None
    sent: int = 0
    done_pending: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON types."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RepeatState:
        """Rebuild from :meth:`to_dict` output."""
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


class RepeatScheduler:
    """When the next notification of one alert is due, and whether to send it."""

    def __init__(self, config: RepeatConfig, state: RepeatState | None = None) -> None:
        self._config = config
        self._state = state or RepeatState()

    @property
    def state(self) -> RepeatState:
        """The current (immutable, serialisable) state."""
        return self._state

    @property
    def next_due(self) -> float | None:
        """When :meth:`tick` should next be called, or None when idle."""
        return self._state.next_due

    @property
    def entity_state(self) -> AlertEntityState:
        """``on``, ``off`` or ``idle``, as Home Assistant shows an alert."""
        if not self._state.firing:
            return AlertEntityState.IDLE
        return AlertEntityState.OFF if self._state.acknowledged else AlertEntityState.ON

    def begin(self, now: float, *, muted: bool = False) -> bool:
        """Start firing at ``now``; returns True when a notification must go out now.

        Does nothing (returns False) when already firing.
        """
        if self._state.firing:
            return False
        self._state = replace(self._state, firing=True, acknowledged=False, next_index=0, sent=0)
        if self._config.skip_first:
            self._schedule(now)
            return False
        return self._notify(now, muted)

    def tick(self, now: float, *, muted: bool = False) -> bool:
        """Called at :attr:`next_due`; returns True when a notification must go out now.

        The timer always moves on; nothing is sent while acknowledged or ``muted``.
        """
        due = self._state.next_due
        if not self._state.firing or due is None or now < due:
            return False
        return self._notify(now, muted)

    def end(self) -> bool:
        """Stop firing; returns True when the done message is due (a notification went out)."""
        done = self._state.firing and self._state.done_pending
        self._state = replace(
            self._state, firing=False, acknowledged=False, next_due=None, done_pending=False
        )
        return done

    def acknowledge(self) -> None:
        """Acknowledge (HA ``alert.turn_off``); refused when ``can_acknowledge`` is false."""
        if not self._config.can_acknowledge:
            raise IllegalTransition("This alert cannot be acknowledged")
        self._state = replace(self._state, acknowledged=True)

    def unacknowledge(self) -> None:
        """Withdraw the acknowledgement (HA ``alert.turn_on``)."""
        self._state = replace(self._state, acknowledged=False)

    def toggle(self) -> None:
        """Acknowledge when unacknowledged, else withdraw it (HA ``alert.toggle``)."""
        if self._state.acknowledged:
            self.unacknowledge()
        else:
            self.acknowledge()

    def to_dict(self) -> dict[str, Any]:
        """Serialise the state (the configuration comes from YAML)."""
        return self._state.to_dict()

    @classmethod
    def from_dict(cls, config: RepeatConfig, data: Mapping[str, Any]) -> RepeatScheduler:
        """Rebuild a scheduler for ``config`` from :meth:`to_dict` output."""
        return cls(config, RepeatState.from_dict(data))

    def _notify(self, now: float, muted: bool) -> bool:
        send = not (self._state.acknowledged or muted)
        if send:
            self._state = replace(self._state, sent=self._state.sent + 1, done_pending=True)
        self._schedule(now)
        return send

    def _schedule(self, now: float) -> None:
        index = self._state.next_index
        self._state = replace(
            self._state,
            next_due=now + self._config.interval(index),
            next_index=min(index + 1, len(self._config.repeat) - 1),
        )
