"""Traces: what one automation run did, step by step, kept in memory per automation.

Step paths follow Home Assistant: ``trigger/0``, ``condition/0``,
``condition/1/conditions/0``, ``action/1/then/0``, ``action/2/choose/0/sequence/1``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.core.clock import Clock
from hub.core.context import Context
from hub.core.state import State

_RUN_IDS = itertools.count(1)


def to_plain(value: Any) -> Any:
    """Plain JSON types for trace data: states and events as dicts, times as ISO text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, State | Context) or hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, Mapping):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_plain(item) for item in value]
    return str(value)


@dataclass(slots=True)
class TraceStep:
    """One step: when it started, how long it took, what it gave or why it failed."""

    path: str
    timestamp: float
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    duration: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        return {
            "path": self.path,
            "timestamp": self.timestamp,
            "duration": self.duration,
            "result": to_plain(self.result),
            "error": self.error,
        }


class Trace:
    """The record of one run of one automation."""

    def __init__(
        self,
        clock: Clock,
        automation_id: str,
        trigger: Mapping[str, Any] | None,
        context: Context,
    ) -> None:
        self._clock = clock
        self.run_id = str(next(_RUN_IDS))
        self.automation_id = automation_id
        self.trigger = dict(trigger or {})
        self.context = context
        self.started = clock.time()
        self.finished: float | None = None
        self.state = "running"
        self.script_execution: str | None = None
        self.error: str | None = None
        self.steps: list[TraceStep] = []

    @property
    def trigger_description(self) -> str:
        """What started the run, in words."""
        return str(self.trigger.get("description") or self.trigger.get("platform") or "manual")

    def begin(self, path: str, **result: Any) -> TraceStep:
        """Start a step at ``path``."""
        step = TraceStep(path, self._clock.time(), dict(result))
        self.steps.append(step)
        return step

    def end(self, step: TraceStep, *, error: str | None = None, **result: Any) -> None:
        """Finish ``step`` with more result fields or an error."""
        step.result.update(result)
        step.error = error
        step.duration = self._clock.time() - step.timestamp

    def record(self, path: str, *, error: str | None = None, **result: Any) -> TraceStep:
        """Add a finished step."""
        step = self.begin(path, **result)
        self.end(step, error=error)
        return step

    def finish(self, script_execution: str, error: str | None = None) -> None:
        """Mark the run as stopped with its outcome."""
        if self.state == "stopped":
            return
        self.state = "stopped"
        self.script_execution = script_execution
        self.error = error
        self.finished = self._clock.time()

    def find(self, path: str) -> list[TraceStep]:
        """Every step recorded at ``path`` (loops record one per iteration)."""
        return [step for step in self.steps if step.path == path]

    def summary(self) -> dict[str, Any]:
        """The short form listed for an automation."""
        return {
            "run_id": self.run_id,
            "automation_id": self.automation_id,
            "state": self.state,
            "script_execution": self.script_execution,
            "error": self.error,
            "trigger": self.trigger_description,
            "started": self.started,
            "finished": self.finished,
            "last_step": self.steps[-1].path if self.steps else None,
            "context": self.context.as_dict(),
        }

    def as_dict(self) -> dict[str, Any]:
        """The full trace, every step included."""
        return {
            **self.summary(),
            "trigger_variables": to_plain(self.trigger),
            "steps": [step.as_dict() for step in self.steps],
        }


class TraceStore:
    """The last ``keep`` traces of one automation, newest last."""

    def __init__(self, keep: int) -> None:
        self._traces: deque[Trace] = deque(maxlen=max(keep, 0))

    @property
    def keep(self) -> int:
        """How many traces are kept."""
        return self._traces.maxlen or 0

    def resize(self, keep: int) -> None:
        """Keep ``keep`` traces from now on (dropping the oldest if needed)."""
        self._traces = deque(self._traces, maxlen=max(keep, 0))

    def add(self, trace: Trace) -> None:
        """Store a new trace."""
        if self._traces.maxlen:
            self._traces.append(trace)

    def __iter__(self) -> Iterator[Trace]:
        return iter(self._traces)

    def __len__(self) -> int:
        return len(self._traces)

    def latest(self) -> Trace | None:
        """The newest trace."""
        return self._traces[-1] if self._traces else None

    def get(self, run_id: str) -> Trace | None:
        """The trace with ``run_id``."""
        return next((trace for trace in self._traces if trace.run_id == run_id), None)
