"""Signal conditioning for ultrasonic tank readings.

Median filtering of distances, speed-of-sound temperature compensation, and a least-squares fill
rate with a significance test. Mirrors ``firmware/tank_node/lib/tankcore`` (median, sound).
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass

SOUND_AT_0C_M_S = 331.3
SOUND_PER_DEGREE_M_S = 0.606
REFERENCE_TEMPERATURE_C = 20.0
DEFAULT_MEDIAN_WINDOW = 5


def speed_of_sound(temperature_c: float) -> float:
    """Speed of sound in air in m/s: c = 331.3 + 0.606 · T."""
    return SOUND_AT_0C_M_S + SOUND_PER_DEGREE_M_S * temperature_c


def compensate(echo_us: float, temperature_c: float | None) -> float:
    """Distance in mm from a round-trip echo time, at ``temperature_c`` (20 °C when unknown)."""
    temperature = REFERENCE_TEMPERATURE_C if temperature_c is None else temperature_c
    return echo_us * speed_of_sound(temperature) / 2000.0


class MedianFilter:
    """Sliding median over the last ``window`` valid samples.

    NaN, None, infinities and values <= 0 (timeouts, spurious zero echoes) are rejected and
    counted. With an even number of samples the median is the mean of the two middle values.
    """

    def __init__(self, window: int = DEFAULT_MEDIAN_WINDOW) -> None:
        if window < 1:
            raise ValueError("window must be at least 1")
        self._samples: deque[float] = deque(maxlen=window)
        self.rejected = 0

    def push(self, sample: float | None) -> bool:
        """Add a sample; return False (and count it) when it is rejected."""
        if sample is None or not math.isfinite(sample) or sample <= 0:
            self.rejected += 1
            return False
        self._samples.append(sample)
        return True

    @property
    def value(self) -> float | None:
        """Current median, or None before the first valid sample."""
        if not self._samples:
            return None
        ordered = sorted(self._samples)
        mid = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[mid]
        return (ordered[mid - 1] + ordered[mid]) / 2.0


@dataclass(frozen=True)
class FillRate:
    """Least-squares fill rate; negative while the tank empties."""

    rate_lph: float
    stderr_lph: float
    samples: int
    significant: bool


class FillRateEstimator:
    """Fill rate in L/h by least squares over a sliding time window.

    The rate is significant when there are at least ``min_samples`` samples spanning
    ``min_span_s``, its magnitude is at least ``min_rate_lph`` and at least ``t_factor`` times
    its standard error. Samples may arrive late; they are kept in time order.
    """

    def __init__(
        self,
        window_s: float = 3600.0,
        *,
        min_samples: int = 3,
        min_span_s: float = 60.0,
        min_rate_lph: float = 0.5,
        t_factor: float = 2.0,
    ) -> None:
        if window_s <= 0 or min_samples < 3:
            raise ValueError("window_s must be > 0 and min_samples >= 3")
        self._window_s = window_s
        self._min_samples = min_samples
        self._min_span_s = min_span_s
        self._min_rate_lph = min_rate_lph
        self._t_factor = t_factor
        self._times: list[float] = []
        self._volumes: list[float] = []

    def add(self, timestamp_s: float, volume_l: float) -> None:
        """Add one sample and drop those older than the window (relative to the newest)."""
        index = bisect.bisect_right(self._times, timestamp_s)
        self._times.insert(index, timestamp_s)
        self._volumes.insert(index, volume_l)
        cutoff = self._times[-1] - self._window_s
        first = bisect.bisect_left(self._times, cutoff)
        del self._times[:first]
        del self._volumes[:first]

    def rate(self) -> FillRate | None:
        """Current estimate, or None with fewer than two distinct timestamps."""
        n = len(self._times)
        if n < 2:
            return None
        t0 = self._times[0]
        xs = [t - t0 for t in self._times]
        mean_x = sum(xs) / n
        mean_y = sum(self._volumes) / n
        sxx = sum((x - mean_x) ** 2 for x in xs)
        if sxx == 0:
            return None
        sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, self._volumes, strict=True))
        slope = sxy / sxx
        intercept = mean_y - slope * mean_x
        if n > 2:
            ssr = sum(
                (y - (intercept + slope * x)) ** 2 for x, y in zip(xs, self._volumes, strict=True)
            )
            stderr = math.sqrt(ssr / (n - 2) / sxx)
        else:
            stderr = math.inf
        rate_lph = slope * 3600.0
        stderr_lph = stderr * 3600.0
        significant = (
            n >= self._min_samples
            and xs[-1] >= self._min_span_s
            and abs(rate_lph) >= self._min_rate_lph
            and abs(rate_lph) >= self._t_factor * stderr_lph
        )
        return FillRate(rate_lph, stderr_lph, n, significant)


def time_to_empty_s(volume_l: float, rate: FillRate | None) -> float | None:
    """Seconds until empty at the current rate; None unless significantly emptying."""
    if rate is None or not rate.significant or rate.rate_lph >= 0:
        return None
    return max(volume_l, 0.0) / -rate.rate_lph * 3600.0


def time_to_full_s(volume_l: float, capacity_l: float, rate: FillRate | None) -> float | None:
    """Seconds until full at the current rate; None unless significantly filling."""
    if rate is None or not rate.significant or rate.rate_lph <= 0:
        return None
    return max(capacity_l - volume_l, 0.0) / rate.rate_lph * 3600.0
