"""to_float: which state strings become numbers in the window."""

from __future__ import annotations

import pytest

from hub.window import to_float


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("21.5", 21.5),
        (" -3 ", -3.0),
        ("0", 0.0),
        ("1e3", 1000.0),
        ("1_000", 1000.0),
    ],
)
def test_accepts_numbers(state: str, expected: float) -> None:
    assert to_float(state) == expected


@pytest.mark.parametrize(
    "state", ["unknown", "unavailable", "", "on", "nan", "NaN", "inf", "-Infinity", "1e400", "1,5"]
)
def test_rejects_non_numbers(state: str) -> None:
    assert to_float(state) is None
