"""Chunk encoding: timestamps and values survive the compact representation."""

from __future__ import annotations

import pytest

from hub.window.chunk import Chunk

BASE = 1_700_000_000_000


def _build(stamps: list[int]) -> Chunk:
    return Chunk.from_points(stamps, [float(i) for i in range(len(stamps))])


@pytest.mark.parametrize(
    "stamps",
    [
        pytest.param([BASE], id="single"),
        pytest.param([BASE, BASE + 1000], id="two"),
        pytest.param([BASE + 1000 * i for i in range(50)], id="regular"),
        pytest.param([BASE + 1000 * i + (7 * i) % 13 for i in range(50)], id="jitter"),
        pytest.param([BASE, BASE + 1, BASE + 100_000, BASE + 100_001], id="wide-steps"),
        pytest.param([BASE, BASE + 1, BASE + 2**40, BASE + 2**41], id="huge-gaps"),
    ],
)
@pytest.mark.parametrize("sealed", [False, True])
def test_timestamps_round_trip(stamps: list[int], sealed: bool) -> None:
    chunk = _build(stamps)
    if sealed:
        chunk.seal()
    assert list(chunk.timestamps()) == stamps
    assert chunk.values.tolist() == [float(i) for i in range(len(stamps))]
    assert (chunk.start_ms, chunk.end_ms) == (stamps[0], stamps[-1])


def test_sealed_regular_chunk_drops_timestamp_array() -> None:
    regular = _build([BASE + 1000 * i for i in range(100)])
    jittered = _build([BASE + 1000 * i + i % 3 for i in range(100)])
    regular.seal()
    jittered.seal()
    assert isinstance(regular.timestamps(), range)
    assert regular.nbytes() < jittered.nbytes() - 90


def test_seal_caches_aggregates() -> None:
    chunk = Chunk.from_points([BASE, BASE + 5, BASE + 9], [2.0, -1.5, 4.0])
    open_aggregates = chunk.aggregates()
    chunk.seal()
    assert chunk.sealed
    assert chunk.aggregates() == open_aggregates == (4.5, -1.5, 4.0)


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (BASE, BASE + 4000, (0, 5)),
        (BASE - 10, BASE + 10_000, (0, 5)),
        (BASE + 1, BASE + 2999, (1, 3)),
        (BASE + 1000, BASE + 1000, (1, 2)),
        (BASE + 1001, BASE + 1999, (2, 2)),
    ],
)
@pytest.mark.parametrize("sealed", [False, True])
def test_bounds_are_inclusive(lo: int, hi: int, expected: tuple[int, int], sealed: bool) -> None:
    chunk = _build([BASE + 1000 * i for i in range(5)])
    if sealed:
        chunk.seal()
    assert chunk.bounds(chunk.timestamps(), lo, hi) == expected
