"""Fixtures for the alert core tests."""

from __future__ import annotations

import pytest
from alerts_clock import Clock


@pytest.fixture
def clock() -> Clock:
    """A clock starting at a fixed instant."""
    return Clock()
