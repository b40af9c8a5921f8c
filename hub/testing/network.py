"""Network helpers for tests: free TCP ports on loopback."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def unused_port() -> Callable[[], int]:
    """A factory of free loopback ports."""
    return free_port
