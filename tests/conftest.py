"""Suite-wide fixtures: event-loop blocking detection.

The hub's own fixtures (``hub``, ``register_plugin``, ``start_hub``…) come from the
``hub.testing`` pytest plugin, exactly as third-party authors get them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from blockbuster import BlockBuster, blockbuster_ctx


@pytest.fixture(autouse=True)
def blockbuster() -> Iterator[BlockBuster | None]:
    """Fail any test whose code blocks the running event loop.

    Allowed: importing modules and reading package data (import machinery, pluggy/importlib
    metadata scans at start-up, which happen before the loop serves traffic), and writing
    test fixtures' files.
    """
    with blockbuster_ctx(scanned_modules=["hub", "integrations"]) as bb:
        for func in (
            "io.TextIOWrapper.read",
            "io.BufferedReader.read",
            "os.stat",
            "os.listdir",
            "os.scandir",
        ):
            if func in bb.functions:
                bb.functions[func].can_block_in("importlib/metadata/__init__.py", "read_text")
        yield bb
