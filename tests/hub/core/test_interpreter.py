"""The interpreter settings the hub applies once it has started."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.core import interpreter
from hub.core.bootstrap import start_hub


@pytest.fixture
def default_collector() -> Iterator[None]:
    """Start from CPython's defaults and give them back afterwards."""
    before = gc.get_threshold(), sys.getswitchinterval()
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    sys.setswitchinterval(0.005)
    yield
    gc.unfreeze()
    gc.set_threshold(*before[0])
    sys.setswitchinterval(before[1])


@pytest.mark.usefixtures("default_collector")
def test_tuning_freezes_what_exists_collects_less_often_and_switches_sooner() -> None:
    survivor = [object() for _ in range(10)]
    interpreter.tune_interpreter()
    assert gc.get_freeze_count() >= len(survivor)
    assert gc.get_threshold() == (
        interpreter.GEN0_THRESHOLD,
        interpreter.GEN1_THRESHOLD,
        interpreter.GEN2_THRESHOLD,
    )
    assert interpreter.GEN0_THRESHOLD > 700 and interpreter.GEN2_THRESHOLD > 10


@pytest.mark.usefixtures("default_collector")
async def test_a_started_hub_has_tuned_the_interpreter(tmp_path: Path) -> None:
    (tmp_path / "configuration.yaml").write_text("hub:\n  name: Collector test\n")
    hub = await start_hub(tmp_path)
    try:
        assert gc.get_threshold()[0] == interpreter.GEN0_THRESHOLD
        assert gc.get_freeze_count() > 0
    finally:
        await hub.stop()
