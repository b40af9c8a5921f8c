"""The collector tuning the hub applies once it has started."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.core import collector
from hub.core.bootstrap import start_hub


@pytest.fixture
def default_collector() -> Iterator[None]:
    """Start from CPython's defaults and give them back afterwards."""
    before = gc.get_threshold()
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


@pytest.mark.usefixtures("default_collector")
def test_settling_freezes_what_exists_and_collects_less_often() -> None:
    survivor = [object() for _ in range(10)]
    collector.settle_collector()
    assert gc.get_freeze_count() >= len(survivor)
    assert gc.get_threshold() == (
        collector.GEN0_THRESHOLD,
        collector.GEN1_THRESHOLD,
        collector.GEN2_THRESHOLD,
    )
    assert collector.GEN0_THRESHOLD > 700 and collector.GEN2_THRESHOLD > 10


@pytest.mark.usefixtures("default_collector")
async def test_a_started_hub_has_settled_the_collector(tmp_path: Path) -> None:
    (tmp_path / "configuration.yaml").write_text("hub:\n  name: Collector test\n")
    hub = await start_hub(tmp_path)
    try:
        assert gc.get_threshold()[0] == collector.GEN0_THRESHOLD
        assert gc.get_freeze_count() > 0
    finally:
        await hub.stop()
