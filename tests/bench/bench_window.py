"""Benchmark of the telemetry window on the seed workload: 100 sensors x 1 Hz x 24 h.

Run with ``.venv/bin/python tests/bench/bench_window.py``; prints one figure per line.
Timestamps carry ±20 ms of jitter around the 1 s grid, as readings stamped on arrival do.
"""

from __future__ import annotations

import math
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hub.window import TelemetryWindow

SENSORS = 100
SECONDS = 86_400
T0 = 1_700_000_000.0
QUERIES = 1000
JITTER_S = 0.020
BUDGET_BYTES = 48 * 2**20


def _rss_kib(field: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not found in /proc/self/status")


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def _entity(index: int) -> str:
    return f"sensor.bench_{index:03d}"


def _fill(window: TelemetryWindow, jitter: float, seed: int = 1) -> float:
    """Add the whole workload second by second; return seconds spent inside ``add``."""
    rng = random.Random(seed)
    entities = [_entity(i) for i in range(SENSORS)]
    levels = [rng.uniform(0, 100) for _ in range(SENSORS)]
    spent = 0.0
    add = window.add
    for second in range(SECONDS):
        base = T0 + second
        stamps = [base + rng.uniform(-jitter, jitter) for _ in range(SENSORS)]
        wave = math.sin(second / 3600)
        values = [level + wave + rng.gauss(0, 0.1) for level in levels]
        began = time.perf_counter()
        for entity_id, ts, value in zip(entities, stamps, values, strict=True):
            add(entity_id, ts, value)
        spent += time.perf_counter() - began
    return spent


def _percentiles(samples_ns: list[int]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples_ns, n=100, method="inclusive")
    return cuts[49] / 1000, cuts[94] / 1000, cuts[98] / 1000


def _time_queries(call: Callable[[str, float], object], span_s: float) -> list[int]:
    rng = random.Random(7)
    samples: list[int] = []
    for _ in range(QUERIES):
        entity_id = _entity(rng.randrange(SENSORS))
        start = T0 + rng.uniform(0, SECONDS - span_s)
        began = time.perf_counter_ns()
        call(entity_id, start)
        samples.append(time.perf_counter_ns() - began)
    return samples


def _report(name: str, samples_ns: list[int]) -> None:
    p50, p95, p99 = _percentiles(samples_ns)
    print(f"{name}_us p50={p50:.1f} p95={p95:.1f} p99={p99:.1f}")


def _measure_reads(window: TelemetryWindow) -> None:
    hour = 3600.0
    _report("range_1h", _time_queries(lambda e, s: window.range(e, s, s + hour), hour))
    _report("stats_1h", _time_queries(lambda e, s: window.stats(e, s, s + hour), hour))
    _report("stats_24h", _time_queries(lambda e, s: window.stats(e, T0 - 1, T0 + SECONDS), 0))
    _report(
        "range_24h_max_points_1000",
        _time_queries(lambda e, s: window.range(e, T0 - 1, T0 + SECONDS, max_points=1000), 0),
    )

    replay = [(T0 + 40_000.5 + i, 1.0) for i in range(600)]
    began = time.perf_counter_ns()
    window.add_many(_entity(0), replay)
    print(f"late_replay_600_points_us {(time.perf_counter_ns() - began) / 1000:.0f}")

    began = time.perf_counter_ns()
    freed = window.evict(T0 + SECONDS + hour)
    elapsed = (time.perf_counter_ns() - began) / 1000
    print(f"evict_1h_of_{SENSORS}_sensors_us {elapsed:.0f} (released {freed} points)")


def main() -> None:
    points = SENSORS * SECONDS
    print(f"workload {SENSORS} sensors x {SECONDS} s at 1 Hz = {points} points")
    print(f"machine nproc={os.cpu_count()} cpu={_cpu_model()!r} python={sys.version.split()[0]}")

    rss_before = _rss_kib()
    window = TelemetryWindow()
    spent = _fill(window, JITTER_S)
    rss_delta = (_rss_kib() - rss_before) * 1024
    print(f"insert_rate {points / spent:,.0f} points/s ({spent * 1e9 / points:.0f} ns/point)")
    print(f"rss_delta {rss_delta:,} bytes ({rss_delta / 2**20:.1f} MiB)")
    estimate = window.memory_bytes()
    print(
        f"memory_bytes_estimate {estimate:,} bytes ({estimate / 2**20:.1f} MiB, "
        f"{estimate / points:.2f} B/point)"
    )

    _measure_reads(window)
    del window

    tracemalloc.start()
    traced = TelemetryWindow()
    _fill(traced, JITTER_S)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    verdict = "within" if current <= BUDGET_BYTES else "OVER"
    print(
        f"tracemalloc_current {current:,} bytes ({current / 2**20:.1f} MiB, "
        f"{current / points:.2f} B/point, {verdict} the 48 MiB budget)"
    )
    print(f"tracemalloc_peak {peak:,} bytes ({peak / 2**20:.1f} MiB)")
    del traced

    regular = TelemetryWindow()
    _fill(regular, 0.0)
    estimate = regular.memory_bytes()
    print(
        f"memory_bytes_estimate_regular_1s {estimate:,} bytes ({estimate / 2**20:.1f} MiB, "
        f"{estimate / points:.2f} B/point)"
    )


if __name__ == "__main__":
    main()
