"""One automation: its triggers, its ``automation.<object_id>`` entity, its runs and traces.

Run modes: ``single`` ignores a trigger while a run is active, ``restart`` cancels the
active run, ``queued`` runs one at a time (``max`` waiting and running together),
``parallel`` runs up to ``max`` at once. Every trigger leaves a trace, including those
whose conditions failed or that the mode refused.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from hub.automation.actions.runner import (
    ActionFailed,
    ConditionFailed,
    ScriptRunner,
    StopRun,
    WaitTimedOut,
)
from hub.automation.conditions import ConditionCache
from hub.automation.config_schema import AutomationConfig
from hub.automation.const import (
    ATTR_CURRENT,
    ATTR_FRIENDLY_NAME,
    ATTR_ID,
    ATTR_LAST_TRIGGERED,
    ATTR_MAX,
    ATTR_MODE,
    MODE_PARALLEL,
    MODE_QUEUED,
    MODE_RESTART,
    MODE_SINGLE,
)
from hub.automation.platforms import Platforms, TriggerFire
from hub.automation.templates import TemplateError, render_complex
from hub.automation.trace import Trace, TraceStore
from hub.core.context import Context
from hub.core.events import EVENT_AUTOMATION_TRIGGERED
from hub.core.state import STATE_OFF, STATE_ON

if TYPE_CHECKING:
    import datetime as dt

    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)
_LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50}


class Automation:
    """A loaded automation."""

    def __init__(
        self,
        hub: Hub,
        platforms: Platforms,
        config: AutomationConfig,
        entity_id: str,
        *,
        traces: TraceStore | None = None,
        enabled: bool = True,
    ) -> None:
        self.hub = hub
        self.platforms = platforms
        self.config = config
        self.entity_id = entity_id
        self.traces = traces or TraceStore(config.stored_traces)
        self.traces.resize(config.stored_traces)
        self.enabled = enabled
        self.last_triggered: dt.datetime | None = None
        self._conditions = ConditionCache(hub, platforms)
        self._detach: list[Callable[[], None]] = []
        self._runs: dict[asyncio.Task[None], Trace] = {}
        self._queue: deque[tuple[Trace, dict[str, Any]]] = deque()
        self._trigger_variables: dict[str, Any] = {}

    # -- identity ------------------------------------------------------------------------------
    @property
    def key(self) -> str:
        """The YAML ``id``, or the entity's object id when the automation has none."""
        return self.config.id or self.entity_id.partition(".")[2]

    @property
    def name(self) -> str:
        """The alias, or the key."""
        return self.config.alias or self.key

    @property
    def current_runs(self) -> int:
        """Runs in progress (queued runs not included)."""
        return len(self._runs)

    def running_tasks(self) -> list[asyncio.Task[None]]:
        """The tasks of the active runs."""
        return list(self._runs)

    def summary(self) -> dict[str, Any]:
        """What the API lists for this automation."""
        return {
            "id": self.key,
            "entity_id": self.entity_id,
            "alias": self.name,
            "description": self.config.description,
            "state": STATE_ON if self.enabled else STATE_OFF,
            "last_triggered": self.last_triggered.isoformat() if self.last_triggered else None,
            "mode": self.config.mode,
            "current": self.current_runs,
            "source": self.config.source,
        }

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        """Write the entity and, when on, attach the triggers."""
        if self.enabled:
            self._attach()
        self.write_state()

    async def stop(self) -> None:
        """Detach the triggers and cancel every run."""
        self._detach_all()
        await self.cancel_runs()

    async def turn_on(self) -> None:
        """Enable: attach the triggers."""
        if not self.enabled:
            self.enabled = True
            self._attach()
            self.write_state()

    async def turn_off(self, *, stop_actions: bool = True) -> None:
        """Disable: detach the triggers and, with ``stop_actions``, cancel the runs."""
        if self.enabled:
            self.enabled = False
            self._detach_all()
            if stop_actions:
                await self.cancel_runs()
            self.write_state()

    async def cancel_runs(self) -> None:
        """Cancel active and queued runs and wait for them to end."""
        for trace, _ in self._queue:
            trace.finish("cancelled")
        self._queue.clear()
        # A run that reloads or turns off its own automation is not cancelled under itself.
        tasks = [task for task in self._runs if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def write_state(self) -> None:
        """Publish ``automation.<object_id>``."""
        attributes: dict[str, Any] = {
            ATTR_FRIENDLY_NAME: self.name,
            ATTR_ID: self.config.id,
            ATTR_MODE: self.config.mode,
            ATTR_CURRENT: self.current_runs,
            ATTR_LAST_TRIGGERED: self.last_triggered,
        }
        if self.config.mode in (MODE_QUEUED, MODE_PARALLEL):
            attributes[ATTR_MAX] = self.config.max_runs
        self.hub.states.set(
            self.entity_id,
            STATE_ON if self.enabled else STATE_OFF,
            attributes,
            timestamp=self.hub.clock.time(),
        )

    def _attach(self) -> None:
        try:
            self._trigger_variables = dict(
                render_complex(self.config.trigger_variables, self.hub, {})
            )
        except TemplateError as err:
            _LOGGER.error("%s: trigger_variables failed: %s", self.name, err)
            self._trigger_variables = {}
        for index, trigger in enumerate(self.config.triggers):
            if not trigger.get("enabled", True):
                continue
            platform = self.platforms.triggers.get(trigger["platform"])
            if platform is None:
                _LOGGER.error("%s: trigger platform %s is gone", self.name, trigger["platform"])
                continue

            def fire(
                data: Mapping[str, Any],
                context: Context | None,
                index: int = index,
                trigger: dict[str, Any] = trigger,
            ) -> None:
                self._fired(index, trigger, data, context)

            try:
                self._detach.append(
                    platform.attach(
                        self.hub, trigger["options"], TriggerFire(fire, self._trigger_variables)
                    )
                )
            except Exception:  # one broken trigger must not stop the automation's others
                _LOGGER.exception("%s: trigger %s failed to attach", self.name, index)

    def _detach_all(self) -> None:
        detach, self._detach = self._detach, []
        for stop in detach:
            try:
                stop()
            except Exception:  # detaching the rest matters more than this one
                _LOGGER.exception("%s: a trigger failed to detach", self.name)

    # -- triggering ----------------------------------------------------------------------------
    def _fired(
        self,
        index: int,
        trigger: Mapping[str, Any],
        data: Mapping[str, Any],
        context: Context | None,
    ) -> None:
        variables: dict[str, Any] = {
            **data,
            "platform": trigger["platform"],
            "id": trigger.get("id") or str(index),
            "idx": str(index),
            "alias": trigger.get("alias"),
        }
        extra: dict[str, Any] = {}
        if trigger.get("variables"):
            scope = {**self._trigger_variables, "trigger": variables}
            try:
                extra = dict(render_complex(trigger["variables"], self.hub, scope))
            except TemplateError as err:
                _LOGGER.warning("%s: trigger variables failed: %s", self.name, err)
        self.trigger(
            variables, context=context, extra_variables=extra, trigger_path=f"trigger/{index}"
        )

    def trigger(
        self,
        trigger: Mapping[str, Any] | None = None,
        *,
        context: Context | None = None,
        skip_condition: bool = False,
        extra_variables: Mapping[str, Any] | None = None,
        trigger_path: str = "trigger",
    ) -> Trace:
        """Start a run (subject to conditions and mode); return its trace."""
        run_context = Context(
            user_id=context.user_id if context else None,
            parent_id=context.id if context else None,
            origin="automation",
        )
        trace = Trace(self.hub.clock, self.key, trigger, run_context)
        self.traces.add(trace)
        trace.record(trigger_path, description=trace.trigger_description)
        variables: dict[str, Any] = {
            **self._trigger_variables,
            **(extra_variables or {}),
            "this": self.hub.states.get(self.entity_id),
            "trigger": dict(trigger or {"platform": None}),
        }
        try:
            for key, value in self.config.variables.items():
                variables[key] = render_complex(value, self.hub, variables)
        except TemplateError as err:
            trace.record("variables", error=str(err))
            trace.finish("error", str(err))
            _LOGGER.warning("%s: variables failed: %s", self.name, err)
            return trace
        if not skip_condition:
            check = self._conditions.get(self.config.conditions)
            if not check(variables, trace, "condition"):
                trace.finish("failed_conditions")
                return trace
        self._admit(trace, variables)
        return trace

    def _admit(self, trace: Trace, variables: dict[str, Any]) -> None:
        mode, limit, running = self.config.mode, self.config.max_runs, len(self._runs)
        if mode == MODE_SINGLE and running:
            self._refuse(trace, "failed_single", "already running")
        elif mode == MODE_PARALLEL and running >= limit:
            self._refuse(trace, "failed_max_runs", f"already running {limit} times")
        elif mode == MODE_QUEUED and running:
            if running + len(self._queue) >= limit:
                self._refuse(trace, "failed_max_runs", f"{limit} runs already queued")
            else:
                self._queue.append((trace, variables))
        elif mode == MODE_RESTART and running:
            for task in list(self._runs):
                task.cancel()
            self._start(trace, variables)
        else:
            self._start(trace, variables)

    def _refuse(self, trace: Trace, outcome: str, reason: str) -> None:
        trace.finish(outcome, reason)
        level = self.config.max_exceeded
        if level != "silent":
            _LOGGER.log(
                _LEVELS[level], "%s: not run, %s (mode %s)", self.name, reason, self.config.mode
            )

    def _start(self, trace: Trace, variables: dict[str, Any]) -> None:
        self.last_triggered = self.hub.clock.now()
        self.hub.bus.fire(
            EVENT_AUTOMATION_TRIGGERED,
            {"name": self.name, "entity_id": self.entity_id, "source": trace.trigger_description},
            trace.context,
        )
        task = self.hub.create_task(self._run(trace, variables), name=f"automation:{self.key}")
        self._runs[task] = trace
        task.add_done_callback(self._run_done)
        self.write_state()

    def _run_done(self, task: asyncio.Task[None]) -> None:
        self._runs.pop(task, None)
        if self._queue and not self._runs:
            trace, variables = self._queue.popleft()
            self._start(trace, variables)
        else:
            self.write_state()

    async def _run(self, trace: Trace, variables: dict[str, Any]) -> None:
        runner = ScriptRunner(self.hub, self.platforms, self._conditions, trace, trace.context)
        try:
            await runner.run(self.config.actions, variables)
        except StopRun as stop:
            trace.finish("aborted" if stop.error else "finished", stop.reason)
        except ConditionFailed:
            trace.finish("failed_conditions")
        except WaitTimedOut as err:
            trace.finish("aborted", str(err))
        except ActionFailed as err:
            trace.finish("error", str(err))
            _LOGGER.warning("%s: %s", self.name, err)
        except asyncio.CancelledError:
            trace.finish("cancelled")
            raise
        except Exception as err:  # the engine outlives any run
            trace.finish("error", str(err))
            _LOGGER.exception("%s: run failed", self.name)
        else:
            trace.finish("finished")
