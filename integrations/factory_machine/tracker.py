"""Live per-machine bookkeeping: idempotency, the open state interval, counters, aggregates.

A :class:`MachineTracker` folds validated readings in and hands the resulting rows to the
store at each flush. Counter steps follow :func:`.counters.decode_counter`: a decrease is a
rollover when the wrapped step fits in half the counter's range, else a reset to zero, never
a negative count. A reading older than the newest applied state or counter reading still
feeds the sensor aggregates but not the state timeline or the counters.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from .payload import Reading
from .registry import Machine
from .store import READINGS_SENSOR, Pending, SensorBucket

COUNTER_TOTAL = "total"
COUNTER_REJECTS = "rejects"


def counter_step(previous: int, current: int, width: int) -> tuple[int, str | None]:
    """Parts counted from ``previous`` to ``current`` and ``"rollover"``/``"reset"`` if any."""
    step = current - previous
    if step >= 0:
        return step, None
    modulus = 1 << width
    wrapped = step % modulus
    if wrapped <= modulus // 2:
        return wrapped, "rollover"
    return current, "reset"


@dataclass(slots=True)
class OpenInterval:
    """The state the machine is in since ``start``, last confirmed at ``last``."""

    start: float
    last: float
    code: int


@dataclass(slots=True)
class LatestValue:
    """The newest value of a sensor and when it was measured."""

    ts: float
    value: float


@dataclass(slots=True)
class MachineTracker:
    """Bookkeeping for one machine between flushes."""

    machine: Machine
    dedupe_size: int
    seen: OrderedDict[tuple[str, float | int], None] = field(default_factory=OrderedDict)
    open_state: OpenInterval | None = None
    counters: dict[str, tuple[float, int]] = field(default_factory=dict)
    latest: dict[str, LatestValue] = field(default_factory=dict)
    last_seen: float | None = None
    total_count: int = 0
    reject_count: int = 0
    rollovers: int = 0
    resets: int = 0
    online_spans: list[list[float]] = field(default_factory=list)
    pending: Pending = field(default_factory=Pending.empty)

    def apply(self, reading: Reading) -> bool:
        """Fold a reading in; False if it was seen before (nothing changes then)."""
        key = reading.key
        if key in self.seen:
            return False
        self.seen[key] = None
        if len(self.seen) > self.dedupe_size:
            self.seen.popitem(last=False)
        ts = reading.ts
        if self.last_seen is None or ts > self.last_seen:
            self.last_seen = ts
        self._online(ts)
        machine_id = self.machine.id
        hour = ts // 3600 * 3600
        sensors = self.pending.sensors
        bucket = sensors.get((machine_id, READINGS_SENSOR, hour))
        if bucket is None:
            bucket = sensors[(machine_id, READINGS_SENSOR, hour)] = SensorBucket()
        bucket.add(0.0, False)
        for name, value in reading.sensors.items():
            spec = self.machine.sensor_by_name[name]
            bucket = sensors.get((machine_id, name, hour))
            if bucket is None:
                bucket = sensors[(machine_id, name, hour)] = SensorBucket()
            bucket.add(value, not spec.expected(value))
            latest = self.latest.get(name)
            if latest is None or ts >= latest.ts:
                self.latest[name] = LatestValue(ts, value)
        if reading.state_code is not None:
            self._state(ts, reading.state_code)
        parts = self._counter(COUNTER_TOTAL, ts, reading.total) + (reading.total_increment or 0)
        rejects = self._counter(COUNTER_REJECTS, ts, reading.rejects) + (
            reading.rejects_increment or 0
        )
        if parts or rejects:
            minute = ts // 60 * 60
            entry = self.pending.counts.setdefault((machine_id, minute), [0, 0])
            entry[0] += parts
            entry[1] += rejects
            self.total_count += parts
            self.reject_count += rejects
        return True

    def _online(self, ts: float) -> None:
        """Each report keeps the machine online for two reporting intervals."""
        hold = 2.0 * self.machine.reporting_interval.total_seconds()
        spans = self.online_spans
        if spans and spans[-1][0] <= ts <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], ts + hold)
        elif not spans or ts > spans[-1][1]:
            spans.append([ts, ts + hold])

    def uptime_percent(self, start: float, end: float) -> float | None:
        """Share of ``[start, end)`` the machine was online, in percent (None: empty window)."""
        if end <= start:
            return None
        online = sum(max(0.0, min(e, end) - max(s, start)) for s, e in self.online_spans)
        return online / (end - start) * 100.0

    def forget_spans_before(self, cutoff: float) -> None:
        """Drop online spans that ended before ``cutoff``."""
        self.online_spans = [span for span in self.online_spans if span[1] >= cutoff]

    def _state(self, ts: float, code: int) -> None:
        current = self.open_state
        max_gap = self.machine.oee.max_gap.total_seconds()
        if current is None:
            self.open_state = OpenInterval(ts, ts, code)
        elif ts < current.last:
            return
        elif ts - current.last > max_gap:
            self._close(current, current.last)
            self.open_state = OpenInterval(ts, ts, code)
        elif code == current.code:
            current.last = ts
        else:
            self._close(current, ts)
            self.open_state = OpenInterval(ts, ts, code)
        state = self.open_state
        if state is not None:
            self.pending.intervals[(self.machine.id, state.start)] = (state.last, state.code)

    def _close(self, interval: OpenInterval, end: float) -> None:
        self.pending.intervals[(self.machine.id, interval.start)] = (end, interval.code)

    def _counter(self, name: str, ts: float, value: int | None) -> int:
        if value is None:
            return 0
        previous = self.counters.get(name)
        if previous is not None and ts <= previous[0]:
            return 0
        self.counters[name] = (ts, value)
        self.pending.counters[(self.machine.id, name)] = (ts, value)
        if previous is None:
            return 0
        step, kind = counter_step(previous[1], value, int(self.machine.counter_width))
        if kind == "rollover":
            self.rollovers += 1
        elif kind == "reset":
            self.resets += 1
        return step

    @property
    def state_code(self) -> int | None:
        """The code of the open state interval, if any."""
        return None if self.open_state is None else self.open_state.code

    def take_pending(self) -> Pending:
        """Hand over what accumulated since the last flush."""
        pending, self.pending = self.pending, Pending.empty()
        return pending
