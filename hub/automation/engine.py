"""The automation engine: loads automations, keeps them addressable, reloads them.

Reloading re-reads ``configuration.yaml`` (and what it includes) in an executor. A file
with errors keeps the automations that are running and reports every problem as a
notice and as the error of the reload.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hub.automation.automation import Automation
from hub.automation.config_schema import AutomationConfig
from hub.automation.const import DOMAIN
from hub.automation.platforms import Platforms, collect_platforms
from hub.automation.templates import is_template_string
from hub.automation.trace import TraceStore
from hub.config.errors import ConfigError, display_path
from hub.config.nodes import location_of
from hub.core.errors import ServiceValidationError
from hub.core.keys import HubKey
from hub.entity.naming import slugify

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)
SHUTDOWN_GRACE = 5.0
"""Seconds that runs started by the shutdown trigger get before the engine stops them."""
RELOAD_NOTICE_ID = "automation_reload"


class AutomationEngine:
    """Every loaded automation, by entity id; the one place that loads and reloads them."""

    def __init__(self, hub: Hub, platforms: Platforms | None = None) -> None:
        self.hub = hub
        self.platforms = platforms or collect_platforms(hub.plugins)
        self._automations: dict[str, Automation] = {}
        self._lock = asyncio.Lock()

    def __iter__(self) -> Iterator[Automation]:
        return iter(list(self._automations.values()))

    def __len__(self) -> int:
        return len(self._automations)

    def get(self, key: str) -> Automation | None:
        """An automation by YAML ``id``, entity id or object id."""
        found = self._automations.get(key)
        if found is not None:
            return found
        for automation in self._automations.values():
            if automation.config.id == key or automation.key == key:
                return automation
        return self._automations.get(f"{DOMAIN}.{key}")

    async def load(self, configs: Iterable[AutomationConfig]) -> None:
        """Replace the loaded automations with ``configs``.

        On/off is kept per automation across a reload unless ``initial_state`` says
        otherwise; traces are kept for automations whose key stays the same.
        """
        async with self._lock:
            await self._replace(list(configs))

    async def _replace(self, configs: list[AutomationConfig]) -> None:
        old = self._automations
        for automation in old.values():
            await automation.stop()
        previous = {automation.key: automation for automation in old.values()}
        self._automations = {}
        for index, config in enumerate(configs):
            entity_id = self._entity_id(config, index)
            before = previous.get(config.id or entity_id.partition(".")[2])
            if config.initial_state is not None:
                enabled = config.initial_state
            else:
                enabled = before.enabled if before is not None else True
            automation = Automation(
                self.hub,
                self.platforms,
                config,
                entity_id,
                traces=before.traces if before is not None else None,
                enabled=enabled,
            )
            if before is not None:
                automation.last_triggered = before.last_triggered
            self._automations[entity_id] = automation
        for entity_id in old:
            if entity_id not in self._automations:
                self.hub.states.remove(entity_id)
        for automation in self._automations.values():
            automation.start()

    def _entity_id(self, config: AutomationConfig, index: int) -> str:
        base = slugify(config.alias or config.id or "", fallback=f"automation_{index}")
        candidate, suffix = f"{DOMAIN}.{base}", 2
        while candidate in self._automations:
            candidate, suffix = f"{DOMAIN}.{base}_{suffix}", suffix + 1
        return candidate

    async def reload(self) -> None:
        """Re-read the configuration and load its automations.

        Raises :class:`ServiceValidationError` with the ``file:line`` messages when the
        configuration is invalid; the current automations stay loaded.
        """
        from hub.core.bootstrap import read_config

        async with self._lock:
            try:
                config = await self.hub.run_in_executor(
                    read_config, self.hub.config_dir, self.hub.plugins
                )
            except ConfigError as err:
                message = "\n".join(err.format())
                await self.hub.notices.create(
                    "Automations not reloaded",
                    f"The configuration has errors; the previous automations keep running.\n"
                    f"{message}",
                    source=DOMAIN,
                    notice_id=RELOAD_NOTICE_ID,
                )
                raise ServiceValidationError(message) from None
            self.platforms = collect_platforms(self.hub.plugins)
            section = config.sections.get(DOMAIN) or []
            await self._replace(list(section))
        if self.hub.notices.get(RELOAD_NOTICE_ID) is not None:
            await self.hub.notices.dismiss(RELOAD_NOTICE_ID)

    async def stop(self) -> None:
        """Let shutdown-triggered runs finish briefly, then stop every automation."""
        running = [task for automation in self for task in automation.running_tasks()]
        if running:
            await asyncio.wait(running, timeout=SHUTDOWN_GRACE)
        for automation in self:
            await automation.stop()

    def traces(self, key: str) -> TraceStore | None:
        """The traces of one automation."""
        automation = self.get(key)
        return None if automation is None else automation.traces

    def warn_unknown_services(self) -> list[str]:
        """Log (and return) a warning for each service call no loaded integration provides."""
        warnings = []
        for automation in self:
            for name, where in _service_calls(
                automation.config.actions, self.hub.config_dir.parent
            ):
                domain, _, service = name.partition(".")
                if self.hub.services.has(domain, service):
                    continue
                place = f"{where}: " if where else ""
                message = (
                    f"{place}automation '{automation.name}' calls {name}, which no loaded "
                    "integration provides; the call will fail when it runs"
                )
                _LOGGER.warning(message)
                warnings.append(message)
        return warnings


def _service_calls(actions: list[dict[str, Any]], base: Path) -> Iterator[tuple[str, str | None]]:
    for action in actions:
        kind = action.get("kind")
        if kind == "service" and not is_template_string(str(action["service"])):
            where = location_of(action["service"])
            shown = None
            if where is not None and where.file is not None:
                shown = f"{display_path(where.file, base)}:{where.line}"
            yield str(action["service"]), shown
        nested: list[list[dict[str, Any]]] = [
            action[key] for key in ("then", "else", "default", "sequence") if action.get(key)
        ]
        nested += [option["sequence"] for option in action.get("choose") or []]
        nested += list(action.get("parallel") or [])
        if kind == "repeat":
            nested.append(action["repeat"]["sequence"])
        for sequence in nested:
            yield from _service_calls(sequence, base)


ENGINE: HubKey[AutomationEngine] = HubKey("automation.engine")
