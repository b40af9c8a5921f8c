"""Recorder fixtures: hubs with a recorder on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from recorder_helpers import StartRecorder

from hub.config.core_schema import DEFAULT_SETTINGS
from hub.core.clock import Clock
from hub.core.hub import Hub
from hub.core.services_core import register_core_services
from hub.database.engine import create_db_engine
from hub.recorder import component
from hub.recorder import writer as writer_module
from hub.recorder.backlog import Backlog
from hub.recorder.migrations import create_fresh
from hub.recorder.recorder import RECORDER, Recorder
from hub.recorder.writer import Writer


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL per backend: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fieldhub.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest_asyncio.fixture
async def start_recorder(tmp_path: Path, db_url: str) -> AsyncIterator[StartRecorder]:
    """``await start_recorder(config, site_id=…, clock=…)`` → a started hub and its recorder.

    Every hub started here shares ``db_url`` unless another is given; all are stopped after
    the test, newest first.
    """
    hubs: list[Hub] = []

    async def start(
        config: Mapping[str, Any] | None = None,
        *,
        site_id: str = "default",
        clock: Clock | None = None,
        url: str | None = None,
    ) -> tuple[Hub, Recorder]:
        config_dir = tmp_path / f"config{len(hubs)}"
        config_dir.mkdir()
        hub = Hub(
            config_dir,
            settings=dataclasses.replace(DEFAULT_SETTINGS, site_id=site_id),
            db_url=url or db_url,
            clock=clock,
        )
        hubs.append(hub)
        await hub.start_core()
        register_core_services(hub)
        await component.async_setup(hub, component.CONFIG_SCHEMA(dict(config or {})))
        hub.mark_started()
        recorder = hub.data[RECORDER]
        await recorder.wait_ready()
        return hub, recorder

    yield start
    for hub in reversed(hubs):
        await hub.stop()


@pytest.fixture
def small_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Writer]:
    """A writer (not started) on its own SQLite file, with batches of ten items."""
    monkeypatch.setattr(writer_module, "BATCH_SIZE", 10)
    engine = create_db_engine(f"sqlite:///{tmp_path / 'writer.db'}")
    create_fresh(engine)
    yield Writer(engine, "default", Backlog(1_000), 1.0, lambda *args: None)
    engine.dispose()
