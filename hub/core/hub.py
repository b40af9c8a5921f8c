"""The Hub: one object that owns the loop-side core and the order of start and stop."""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from pathlib import Path
from typing import Any, TypeVar

from hub.config.core_schema import DEFAULT_SETTINGS, CoreSettings
from hub.core.bus import EventBus
from hub.core.clock import Clock, LoopClock
from hub.core.events import EVENT_HUB_STARTED, EVENT_HUB_STOP
from hub.core.keys import HubData
from hub.core.notices import Notices
from hub.core.services import ServiceRegistry
from hub.core.state import StateMachine
from hub.core.tasks import TaskTracker
from hub.database.database import Database
from hub.database.engine import default_db_url
from hub.entity.device_registry import DeviceRegistry
from hub.entity.entity_registry import EntityRegistry
from hub.entity.manager import EntityManager
from hub.entity.platforms import CORE_PLATFORMS
from hub.plugins.manager import PluginManager
from hub.plugins.setup import ConfigLoader, IntegrationManager

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")


class RunState(enum.Enum):
    """Where the hub is in its life."""

    NOT_RUNNING = "not_running"
    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"
    STOPPED = "stopped"


class Hub:
    """The core: event bus, state machine, services, registries, plugins and lifecycle.

    Only the event-loop thread touches it; other threads use :meth:`add_job_threadsafe`.
    Long-lived parts are entered with :meth:`enter` and stopped in reverse order.
    """

    def __init__(
        self,
        config_dir: Path,
        *,
        settings: CoreSettings | None = None,
        config: Mapping[str, Any] | None = None,
        db_url: str | None = None,
        clock: Clock | None = None,
        plugins: PluginManager | None = None,
        config_loader: ConfigLoader | None = None,
    ) -> None:
        self.config_dir = config_dir
        self.settings = settings or DEFAULT_SETTINGS
        self.config: Mapping[str, Any] = dict(config or {})
        self.clock: Clock = clock or LoopClock()
        self.tasks = TaskTracker()
        self.bus = EventBus(self.tasks)
        self.states = StateMachine(self.bus, self.clock.time)
        self.services = ServiceRegistry(self.bus, self.tasks)
        self.data = HubData()
        self.db = Database(db_url or default_db_url(config_dir))
        self.device_registry = DeviceRegistry(self.db, self.bus)
        self.entity_registry = EntityRegistry(self.db, self.bus)
        self.entities = EntityManager(self)
        for platform, base in CORE_PLATFORMS.items():
            self.entities.register_platform(platform, base)
        self.notices = Notices(self.db, self.bus)
        self.plugins = plugins or PluginManager()
        self.integrations = IntegrationManager(self, config_loader)
        self.run_state = RunState.NOT_RUNNING
        self._stack = AsyncExitStack()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped = asyncio.Event()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The loop the hub runs on."""
        if self._loop is None:
            raise RuntimeError("the hub has not started")
        return self._loop

    @property
    def is_running(self) -> bool:
        """True between start and stop."""
        return self.run_state in (RunState.STARTING, RunState.RUNNING)

    # -- jobs --------------------------------------------------------------------------------
    def create_task(self, coro: Coroutine[Any, Any, _T], name: str) -> asyncio.Task[_T]:
        """Start a tracked task (cancelled and awaited at stop)."""
        return self.tasks.create(coro, name)

    def add_job_threadsafe(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run ``callback(*args)`` on the loop; the one entry point for other threads."""
        self.loop.call_soon_threadsafe(callback, *args)

    async def run_in_executor(self, func: Callable[..., _T], *args: Any) -> _T:
        """Run blocking ``func`` in the default thread pool."""
        return await self.loop.run_in_executor(None, func, *args)

    async def enter(self, part: AbstractAsyncContextManager[_T]) -> _T:
        """Start a long-lived part now; it is stopped in reverse order at :meth:`stop`."""
        return await self._stack.enter_async_context(part)

    def on_stop(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Await ``callback()`` at stop (in reverse order of registration with parts)."""
        self._stack.push_async_callback(callback)

    # -- lifecycle ---------------------------------------------------------------------------
    async def start_core(self) -> None:
        """Open the database, create missing tables and hydrate the registries."""
        self._loop = asyncio.get_running_loop()
        self.tasks.reopen()
        self.run_state = RunState.STARTING
        await self._loop.run_in_executor(None, self.db.create_schema)
        await self.device_registry.hydrate()
        await self.entity_registry.hydrate()
        await self.notices.hydrate()

    def mark_started(self) -> None:
        """Announce that start-up is complete."""
        self.run_state = RunState.RUNNING
        self.bus.fire(EVENT_HUB_STARTED)

    async def stop(self) -> None:
        """Stop in order: announce, stop parts in reverse, cancel tasks, close the database."""
        if self.run_state in (RunState.STOPPING, RunState.STOPPED):
            await self._stopped.wait()
            return
        self.run_state = RunState.STOPPING
        self.bus.fire(EVENT_HUB_STOP)
        try:
            await self._stack.aclose()
            await self.integrations.unload_all()
        finally:
            await self.tasks.cancel_all()
            await asyncio.get_running_loop().run_in_executor(None, self.db.close)
            self.run_state = RunState.STOPPED
            self._stopped.set()

    async def wait_stopped(self) -> None:
        """Return once :meth:`stop` has finished."""
        await self._stopped.wait()
