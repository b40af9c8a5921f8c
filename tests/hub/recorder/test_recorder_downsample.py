"""Downsampling keeps peaks, transitions and both ends."""

from __future__ import annotations

from hub.recorder.downsample import keep_indices


def test_short_series_are_kept_whole() -> None:
    assert keep_indices(["1", "2", "3"], 10) == [0, 1, 2]


def test_peaks_ends_and_non_numeric_states_survive() -> None:
    states = [str(i % 7) for i in range(10_000)]
    states[5_000] = "999"
    states[7_777] = "-999"
    states[3_000] = "unavailable"
    kept = keep_indices(states, 200)
    assert len(kept) <= 203
    assert kept == sorted(set(kept))
    assert {0, 9_999, 5_000, 7_777, 3_000} <= set(kept)
