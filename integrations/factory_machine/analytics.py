"""Machine analytics: rolling window statistics, deviation from baseline, online status,
uptime and a 0-100 health score. Pure functions of their inputs (no clocks read here).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType


def _require_aware(*stamps: datetime) -> None:
    for stamp in stamps:
        if stamp.tzinfo is None or stamp.utcoffset() is None:
            raise ValueError(f"timestamps must be timezone-aware: {stamp!r}")


@dataclass(frozen=True, slots=True)
class WindowStats:
    """Mean, minimum and maximum of the ``count`` samples in a time window."""

    count: int
    mean: float
    minimum: float
    maximum: float


class RollingWindow:
    """Samples of one signal over a sliding time window, for streaming use.

    A sample belongs to the window ending at ``now`` when ``now - window < ts <= now``.
    Adding is amortised O(1); minimum and maximum come from monotonic queues and the mean
    from a running sum. Samples must arrive in time order.
    """

    def __init__(self, window: timedelta) -> None:
        """Create an empty window ``window`` long (must be positive)."""
        if window <= timedelta(0):
            raise ValueError(f"window must be positive: {window}")
        self._window = window
        self._samples: deque[tuple[datetime, float]] = deque()
        self._mins: deque[tuple[datetime, float]] = deque()
        self._maxs: deque[tuple[datetime, float]] = deque()
        self._sum = 0.0

    def add(self, ts: datetime, value: float) -> None:
        """Add a sample; a timestamp older than the newest one is refused."""
        _require_aware(ts)
        if self._samples and ts < self._samples[-1][0]:
            raise ValueError(f"sample at {ts} is older than the newest sample")
        self._samples.append((ts, value))
        self._sum += value
        while self._mins and self._mins[-1][1] >= value:
            self._mins.pop()
        self._mins.append((ts, value))
        while self._maxs and self._maxs[-1][1] <= value:
            self._maxs.pop()
        self._maxs.append((ts, value))
        self._evict(ts)

    def _evict(self, now: datetime) -> None:
        horizon = now - self._window
        while self._samples and self._samples[0][0] <= horizon:
            _, value = self._samples.popleft()
            self._sum -= value
        for queue in (self._mins, self._maxs):
            while queue and queue[0][0] <= horizon:
                queue.popleft()

    def stats(self, now: datetime) -> WindowStats | None:
        """Statistics of the window ending at ``now``; ``None`` when it holds no samples."""
        _require_aware(now)
        self._evict(now)
        if not self._samples:
            return None
        count = len(self._samples)
        return WindowStats(count, self._sum / count, self._mins[0][1], self._maxs[0][1])


def rolling_stats(
    samples: Iterable[tuple[datetime, float]], window: timedelta, now: datetime
) -> WindowStats | None:
    """Statistics of the samples with ``now - window < ts <= now``; ``None`` if there are none."""
    _require_aware(now)
    values = [value for ts, value in samples if now - window < ts <= now]
    if not values:
        return None
    return WindowStats(len(values), sum(values) / len(values), min(values), max(values))


def deviation_percent(value: float, baseline: float) -> float | None:
    """Signed deviation of ``value`` from ``baseline`` in percent of the baseline's magnitude.

    ``None`` for a zero baseline, where a relative deviation has no meaning.
    """
    if baseline == 0:
        return None
    return (value - baseline) / abs(baseline) * 100.0


def is_online(
    last_seen: datetime | None,
    now: datetime,
    reporting_interval: timedelta,
    tolerance: float = 2.0,
) -> bool:
    """Whether a machine that reports every ``reporting_interval`` is online at ``now``.

    Online while ``now - last_seen <= reporting_interval * tolerance``: the default tolerates
    one missed report. Never seen means offline.
    """
    _require_aware(now)
    if last_seen is None:
        return False
    return now - last_seen <= reporting_interval * tolerance


def uptime_percent(
    report_times: Iterable[datetime],
    start: datetime,
    end: datetime,
    reporting_interval: timedelta,
    tolerance: float = 2.0,
) -> float | None:
    """Share of ``[start, end)`` during which the machine was online, in percent.

    Each report keeps the machine online for ``reporting_interval * tolerance`` (the rule of
    :func:`is_online`); overlapping stretches are united. ``None`` for an empty window.
    """
    _require_aware(start, end)
    if end <= start:
        return None
    hold = reporting_interval * tolerance
    online = timedelta(0)
    cursor = start
    for ts in sorted(report_times):
        left, right = max(ts, cursor), min(ts + hold, end)
        if right > left:
            online += right - left
            cursor = right
    return online / (end - start) * 100.0


@dataclass(frozen=True, slots=True)
class SensorCheck:
    """A sensor's latest value and its expected range (an open side is ``None``)."""

    name: str
    value: float | None
    low: float | None = None
    high: float | None = None

    @property
    def in_range(self) -> bool:
        """Whether a value is present and inside ``[low, high]``."""
        if self.value is None:
            return False
        above_low = self.low is None or self.value >= self.low
        below_high = self.high is None or self.value <= self.high
        return above_low and below_high


@dataclass(frozen=True, slots=True)
class BaselineCheck:
    """A metric's current value and its baseline (for example last month's mean)."""

    name: str
    value: float
    baseline: float


@dataclass(frozen=True, slots=True)
class HealthWeights:
    """Weights of the health-score components and the points where a component hits zero."""

    sensors: float = 0.35
    deviation: float = 0.25
    online: float = 0.25
    alarms: float = 0.15
    max_deviation_percent: float = 50.0
    alarm_saturation: int = 5

    def __post_init__(self) -> None:
        weights = (self.sensors, self.deviation, self.online, self.alarms)
        if min(weights) < 0 or sum(weights) <= 0:
            raise ValueError("health weights must be non-negative with a positive sum")
        if self.max_deviation_percent <= 0 or self.alarm_saturation <= 0:
            raise ValueError("max_deviation_percent and alarm_saturation must be positive")


@dataclass(frozen=True, slots=True)
class HealthInput:
    """What the health score looks at for one machine."""

    online: bool
    sensors: Sequence[SensorCheck] = ()
    baselines: Sequence[BaselineCheck] = ()
    recent_alarms: int = 0


@dataclass(frozen=True, slots=True)
class HealthScore:
    """A 0-100 score and the 0-1 components it was computed from."""

    score: float
    components: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


def health_score(inputs: HealthInput, weights: HealthWeights | None = None) -> HealthScore:
    """Score a machine's health from 0 (bad) to 100 (good).

    Components, each in ``[0, 1]``:

    * ``sensors``: share of sensors with a value inside their expected range;
    * ``deviation``: mean of ``1 - |deviation %| / max_deviation_percent`` (floored at 0) over
      the baselines (zero baselines skipped);
    * ``online``: 1 when online, else 0;
    * ``alarms``: ``1 - recent_alarms / alarm_saturation`` (floored at 0).

    ``score = 100 * sum(weight * component) / sum(weight)`` over the components present,
    rounded to one decimal. ``sensors`` and ``deviation`` are absent without inputs, and also
    while the machine is offline, since their values are then stale.
    """
    weights = weights or HealthWeights()
    if inputs.recent_alarms < 0:
        raise ValueError(f"recent_alarms must not be negative: {inputs.recent_alarms}")
    components: dict[str, float] = {}
    if inputs.online and inputs.sensors:
        inside = sum(1 for sensor in inputs.sensors if sensor.in_range)
        components["sensors"] = inside / len(inputs.sensors)
    deviations = [
        deviation
        for check in inputs.baselines
        if (deviation := deviation_percent(check.value, check.baseline)) is not None
    ]
    if inputs.online and deviations:
        closeness = [
            max(0.0, 1.0 - abs(deviation) / weights.max_deviation_percent)
            for deviation in deviations
        ]
        components["deviation"] = sum(closeness) / len(closeness)
    components["online"] = 1.0 if inputs.online else 0.0
    components["alarms"] = max(0.0, 1.0 - inputs.recent_alarms / weights.alarm_saturation)
    weight_of = {
        "sensors": weights.sensors,
        "deviation": weights.deviation,
        "online": weights.online,
        "alarms": weights.alarms,
    }
    total_weight = sum(weight_of[name] for name in components)
    weighted = sum(weight_of[name] * value for name, value in components.items())
    score = round(100.0 * weighted / total_weight, 1) if total_weight > 0 else 0.0
    return HealthScore(score, MappingProxyType(components))
