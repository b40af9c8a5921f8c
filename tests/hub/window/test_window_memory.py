"""memory_bytes is an honest estimate, and the encoding stays near 5 bytes per point."""

from __future__ import annotations

import random
import tracemalloc

import pytest

from hub.window import TelemetryWindow

T0 = 1_700_000_000.0
SENSORS = 10
SECONDS = 6000


def _fill(window: TelemetryWindow, jitter: float) -> None:
    rng = random.Random(5)
    for second in range(SECONDS):
        for sensor in range(SENSORS):
            ts = T0 + second + rng.uniform(-jitter, jitter)
            window.add(f"sensor.s{sensor}", ts, rng.gauss(20.0, 3.0))


@pytest.mark.parametrize(
    ("jitter", "max_bytes_per_point"),
    [(0.0, 4.8), (0.02, 5.5)],
)
def test_estimate_matches_allocations(jitter: float, max_bytes_per_point: float) -> None:
    tracemalloc.start()
    try:
        window = TelemetryWindow()
        _fill(window, jitter)
        allocated, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    estimate = window.memory_bytes()
    assert 0.9 * allocated <= estimate <= 1.1 * allocated
    assert estimate / (SENSORS * SECONDS) <= max_bytes_per_point
