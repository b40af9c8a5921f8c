"""The alert manager: every configured alert's runtime, its entity, restore and dispatch.

It restores rule state from the database, adds the ``alert.<id>`` entities, routes state
changes to the alerts that watch them, and serves lookups for the services and the REST API.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from hub.alerts import kpi
from hub.alerts.entity import PLATFORM, AlertEntity
from hub.alerts.notifications import NotificationRouter
from hub.alerts.occurrence import AuditEntry, Occurrence
from hub.alerts.runtime import AlertRuntime, RuntimeDeps
from hub.alerts.schema import AlertSection
from hub.alerts.store import AlertStore
from hub.automation.templates import Template
from hub.core.bus import Event, Unsubscribe
from hub.core.context import Context
from hub.core.events import EVENT_STATE_CHANGED
from hub.core.keys import HubKey

if TYPE_CHECKING:
    from hub.core.hub import Hub

ALERTS: Final = HubKey["AlertManager"]("alerts")
"""Where the running :class:`AlertManager` lives in ``hub.data``."""


class AlertManager:
    """Owns the runtimes of the configured alerts."""

    def __init__(self, hub: Hub, section: AlertSection) -> None:
        self._hub = hub
        self.section = section
        self.store = AlertStore(hub.db, hub.tasks)
        deps = RuntimeDeps(
            clock=hub.clock,
            fire=self._fire,
            states_get=hub.states.get,
            template=partial(Template, hub=hub),
            store=self.store,
            router=NotificationRouter(hub),
        )
        self._runtimes: dict[str, AlertRuntime] = {
            alert_id: AlertRuntime(config, section.notifiers_for(config), deps)
            for alert_id, config in section.alerts.items()
        }
        self._by_watched: dict[str, list[AlertRuntime]] = {}
        for runtime in self._runtimes.values():
            if runtime.config.entity_id is not None:
                self._by_watched.setdefault(runtime.config.entity_id, []).append(runtime)
        self._templated = [rt for rt in self._runtimes.values() if rt.has_templates]
        self._by_entity_id: dict[str, AlertRuntime] = {}
        self._unsubscribe: Unsubscribe | None = None

    def _fire(self, event_type: str, data: Mapping[str, Any], context: Context) -> None:
        self._hub.bus.fire(event_type, data, context)

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Restore saved state, add the entities, then start watching and timing."""
        await self.store.create_tables()
        restored = await self.store.restore(self._runtimes)
        await self.store.forget(self._runtimes)
        for alert_id, runtime in self._runtimes.items():
            runtime.restore(
                restored.states.get(alert_id),
                [o for o in restored.open_occurrences if o.alert_id == alert_id],
            )
        self._hub.entities.register_platform(PLATFORM, AlertEntity)
        await self._hub.entities.add(PLATFORM, [rt.entity for rt in self._runtimes.values()])
        self._by_entity_id = {rt.entity.entity_id: rt for rt in self._runtimes.values()}
        self._unsubscribe = self._hub.bus.listen(EVENT_STATE_CHANGED, self._state_changed)
        for runtime in self._runtimes.values():
            runtime.start()

    async def stop(self) -> None:
        """Stop watching, cancel timers and wait for every change to be saved."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for runtime in self._runtimes.values():
            runtime.stop()
        await self.store.flush()

    def _state_changed(self, event: Event) -> None:
        entity_id: str = event.data["entity_id"]
        new_state = event.data["new_state"]
        for runtime in self._by_watched.get(entity_id, ()):
            runtime.on_state_changed(entity_id, new_state)
        for runtime in self._templated:
            if runtime.reads(entity_id):
                runtime.on_state_changed(entity_id, new_state)

    # -- lookups -----------------------------------------------------------------------------
    def runtimes(self) -> list[AlertRuntime]:
        """Every alert, in configuration order."""
        return list(self._runtimes.values())

    def get(self, alert_id: str) -> AlertRuntime | None:
        """The alert with id ``alert_id``."""
        return self._runtimes.get(alert_id)

    def by_entity_id(self, entity_id: str) -> AlertRuntime | None:
        """The alert behind entity ``alert.<id>``."""
        return self._by_entity_id.get(entity_id)

    # -- history -----------------------------------------------------------------------------
    async def history(
        self, alert_id: str, limit: int = 50
    ) -> tuple[list[Occurrence], list[AuditEntry]]:
        """The latest occurrences and audit entries of ``alert_id``, newest first."""
        await self.store.flush()
        occurrences = await self.store.occurrences(alert_id=alert_id, limit=limit)
        audit = await self.store.audit(alert_id, limit=limit * 4)
        return occurrences, audit

    async def kpi(self, start: float, end: float) -> kpi.KpiReport:
        """The alarm-system KPIs over the occurrences that started in ``[start, end)``."""
        await self.store.flush()
        records = await self.store.occurrences(start=start, end=end)
        now = self._hub.clock.time()
        return await self._hub.run_in_executor(kpi.compute, records, start, end, min(now, end))
