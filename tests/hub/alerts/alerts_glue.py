"""A running hub with the alert component, a manual clock and recording notify services."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.alerts.component import CONFIG_SCHEMA, async_setup
from hub.alerts.manager import ALERTS, AlertManager
from hub.config.loader import load_configuration
from hub.core.clock import ManualClock
from hub.core.context import Context
from hub.core.hub import Hub
from hub.core.services import ServiceCall
from hub.core.state import State


@dataclass
class Sent:
    """One notify call: which service, with what, when."""

    notifier: str
    data: dict[str, Any]
    ts: float


@dataclass
class AlertHarness:
    hub: Hub
    clock: ManualClock
    sent: list[Sent] = field(default_factory=list)

    @property
    def manager(self) -> AlertManager:
        return self.hub.data[ALERTS]

    def add_notifier(self, name: str) -> None:
        def record(call: ServiceCall) -> None:
            self.sent.append(Sent(name, dict(call.data), self.clock.time()))

        self.hub.services.register("notify", name, record)

    async def settle(self) -> None:
        for _ in range(6):
            await asyncio.sleep(0)

    async def advance(self, seconds: float, step: float = 1.0) -> None:
        """Move the clock in ``step`` increments, letting notify calls run in between."""
        target = self.clock.time() + seconds
        while self.clock.time() < target:
            self.clock.advance(min(step, target - self.clock.time()))
            await self.settle()

    async def set(self, entity_id: str, state: Any) -> None:
        self.hub.states.set(entity_id, str(state))
        await self.settle()

    async def call(self, service: str, alert_id: str, user: str | None = None, **data: Any) -> None:
        await self.hub.services.call(
            "alert", service, {"entity_id": f"alert.{alert_id}", **data}, context=Context(user)
        )
        await self.settle()

    def alert(self, alert_id: str) -> State:
        state = self.hub.states.get(f"alert.{alert_id}")
        assert state is not None
        return state

    def messages(self, notifier: str | None = None) -> list[str]:
        return [s.data["message"] for s in self.sent if notifier in (None, s.notifier)]


def write_config(config_dir: Path, yaml_text: str) -> None:
    (config_dir / "configuration.yaml").write_text(textwrap.dedent(yaml_text), encoding="utf-8")


async def load_section(config_dir: Path) -> Any:
    loop = asyncio.get_running_loop()
    loaded = await loop.run_in_executor(
        None, load_configuration, config_dir, {"alert": CONFIG_SCHEMA}
    )
    return loaded.sections.get("alert") or CONFIG_SCHEMA({})


@asynccontextmanager
async def running_alerts(
    config_dir: Path,
    yaml_text: str | None,
    clock: ManualClock,
    notifiers: Iterable[str] = ("phone",),
    initial: Mapping[str, str] | None = None,
) -> AsyncIterator[AlertHarness]:
    """Start a hub with ``yaml_text`` as configuration.yaml (None keeps the file there)."""
    if yaml_text is not None:
        write_config(config_dir, yaml_text)
    section = await load_section(config_dir)
    hub = Hub(config_dir, clock=clock)
    await hub.start_core()
    harness = AlertHarness(hub, clock)
    for name in notifiers:
        harness.add_notifier(name)
    for entity_id, state in (initial or {}).items():
        hub.states.set(entity_id, state)
    try:
        await async_setup(hub, section)
        hub.mark_started()
        await harness.settle()
        yield harness
    finally:
        await hub.stop()
