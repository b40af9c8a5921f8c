"""Running a validated action sequence, recording each step in the run's trace.

Every wait (``delay``, ``wait_template``, ``wait_for_trigger`` timeouts) is on the hub's
clock. A failing step records its error; with ``continue_on_error: true`` the sequence
goes on after a hub error (an unknown service, bad data, a template error).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from hub.automation.actions import waits
from hub.automation.conditions import ConditionCache
from hub.automation.platforms import Platforms
from hub.automation.templates import Template, render_complex
from hub.automation.timing import clock_sleep
from hub.automation.trace import Trace
from hub.automation.triggers.common import resolve_period
from hub.core.context import Context
from hub.core.errors import HubError, ServiceNotFound

if TYPE_CHECKING:
    from hub.core.hub import Hub

Variables = dict[str, Any]
Result = dict[str, Any]


class StopRun(Exception):
    """A ``stop`` step ended the run."""

    def __init__(self, reason: str, *, error: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error


class ConditionFailed(Exception):
    """A ``condition`` step was false."""


class WaitTimedOut(Exception):
    """A wait timed out with ``continue_on_timeout: false``."""


class ActionFailed(Exception):
    """A step failed; ``path`` says which."""

    def __init__(self, path: str, error: BaseException) -> None:
        super().__init__(f"{path}: {error}")
        self.path = path
        self.error = error


_FLOW = (StopRun, ConditionFailed, WaitTimedOut, ActionFailed)


def _render(hub: Hub, value: Any, variables: Mapping[str, Any]) -> Any:
    return render_complex(value, hub, variables)


class ScriptRunner:
    """Runs one sequence of one automation run."""

    def __init__(
        self,
        hub: Hub,
        platforms: Platforms,
        conditions: ConditionCache,
        trace: Trace,
        context: Context,
    ) -> None:
        self.hub = hub
        self.platforms = platforms
        self.conditions = conditions
        self.trace = trace
        self.context = context
        self._handlers: dict[str, Callable[[dict[str, Any], Variables, str], Awaitable[Result]]]
        self._handlers = {
            "service": self._service,
            "delay": self._delay,
            "wait_template": self._wait_template,
            "wait_for_trigger": self._wait_for_trigger,
            "choose": self._choose,
            "if": self._if,
            "repeat": self._repeat,
            "variables": self._variables,
            "stop": self._stop,
            "event": self._event,
            "parallel": self._parallel,
            "sequence": self._sequence_step,
            "condition": self._condition,
            "plugin": self._plugin,
        }

    async def run(self, actions: list[dict[str, Any]], variables: Variables) -> None:
        """Run the automation's actions (paths ``action/N``)."""
        await self.sequence(actions, variables, "action")

    async def sequence(
        self, actions: list[dict[str, Any]], variables: Variables, prefix: str
    ) -> None:
        """Run ``actions`` in order, each recorded at ``prefix/index``."""
        for index, action in enumerate(actions):
            await self.step(action, variables, f"{prefix}/{index}")

    async def step(self, action: dict[str, Any], variables: Variables, path: str) -> None:
        """Run one action and record it."""
        if not action.get("enabled", True):
            self.trace.record(path, enabled=False)
            return
        step = self.trace.begin(path, kind=action["kind"])
        if action.get("alias"):
            step.result["alias"] = action["alias"]
        try:
            result = await self._handlers[action["kind"]](action, variables, path)
        except _FLOW as err:
            self.trace.end(step, error=str(err) if isinstance(err, ActionFailed) else None)
            raise
        except asyncio.CancelledError:
            self.trace.end(step, error="cancelled")
            raise
        except Exception as err:  # every failure of a step is recorded, never fatal
            self.trace.end(step, error=_describe(err))
            if action.get("continue_on_error") and isinstance(err, HubError):
                return
            raise ActionFailed(path, err) from err
        self.trace.end(step, **result)

    # -- steps ---------------------------------------------------------------------------------
    async def _service(self, action: dict[str, Any], variables: Variables, _path: str) -> Result:
        name = str(_render(self.hub, action["service"], variables)).strip()
        domain, _, service = name.partition(".")
        data: dict[str, Any] = {}
        for key in ("data", "data_template"):
            rendered = _render(self.hub, action.get(key) or {}, variables)
            if not isinstance(rendered, Mapping):
                raise HubError(f"'{key}' rendered to {rendered!r}, not a mapping")
            data.update(rendered)
        target = _render(self.hub, action.get("target") or {}, variables)
        if not isinstance(target, Mapping):
            raise HubError(f"'target' rendered to {target!r}, not a mapping")
        data.update({key: value for key, value in target.items() if value is not None})
        response_variable = action.get("response_variable")
        params = {"domain": domain, "service": service, "service_data": data}
        response = await self.hub.services.call(
            domain,
            service,
            data,
            context=self.context,
            return_response=response_variable is not None,
        )
        if response_variable is not None:
            variables[response_variable] = response
        return {"params": params}

    async def _delay(self, action: dict[str, Any], variables: Variables, _path: str) -> Result:
        seconds = resolve_period(self.hub, action["delay"], variables).total_seconds()
        await clock_sleep(self.hub.clock, seconds)
        return {"delay": seconds, "done": True}

    async def _timeout(self, action: dict[str, Any], variables: Variables) -> float | None:
        if action.get("timeout") is None:
            return None
        return resolve_period(self.hub, action["timeout"], variables).total_seconds()

    async def _wait_template(
        self, action: dict[str, Any], variables: Variables, _path: str
    ) -> Result:
        timeout = await self._timeout(action, variables)
        template = Template(action["wait_template"], self.hub)
        wait = await waits.wait_template(self.hub, template, variables, timeout)
        return self._after_wait(action, variables, wait)

    async def _wait_for_trigger(
        self, action: dict[str, Any], variables: Variables, _path: str
    ) -> Result:
        timeout = await self._timeout(action, variables)
        wait = await waits.wait_for_trigger(
            self.hub, self.platforms, action["wait_for_trigger"], variables, timeout
        )
        return self._after_wait(action, variables, wait)

    @staticmethod
    def _after_wait(action: dict[str, Any], variables: Variables, wait: Variables) -> Result:
        variables["wait"] = wait
        if not wait["completed"] and not action["continue_on_timeout"]:
            raise WaitTimedOut("wait timed out")
        return {"wait": {k: v for k, v in wait.items() if k != "trigger"}}

    async def _choose(self, action: dict[str, Any], variables: Variables, path: str) -> Result:
        for index, option in enumerate(action["choose"]):
            conditions = option.get("conditions") or option.get("condition") or []
            check = self.conditions.get(conditions)
            if check(variables, self.trace, f"{path}/choose/{index}/conditions"):
                await self.sequence(
                    option["sequence"], dict(variables), f"{path}/choose/{index}/sequence"
                )
                return {"choice": index}
        if action.get("default"):
            await self.sequence(action["default"], dict(variables), f"{path}/default")
            return {"choice": "default"}
        return {"choice": None}

    async def _if(self, action: dict[str, Any], variables: Variables, path: str) -> Result:
        check = self.conditions.get(action["if"])
        if check(variables, self.trace, f"{path}/if/condition"):
            await self.sequence(action["then"], dict(variables), f"{path}/then")
            return {"choice": "then"}
        if action.get("else"):
            await self.sequence(action["else"], dict(variables), f"{path}/else")
            return {"choice": "else"}
        return {"choice": None}

    async def _repeat(self, action: dict[str, Any], variables: Variables, path: str) -> Result:
        repeat = action["repeat"]
        sequence = repeat["sequence"]
        prefix = f"{path}/repeat"

        async def iteration(index: int, extra: Variables) -> None:
            scope = {**variables, "repeat": {"first": index == 1, "index": index, **extra}}
            await self.sequence(sequence, scope, f"{prefix}/sequence")
            # Let other tasks run between iterations of a loop that never waits.
            await asyncio.sleep(0)

        if "count" in repeat:
            count = int(_render(self.hub, repeat["count"], variables))
            for index in range(1, count + 1):
                await iteration(index, {"last": index == count})
            return {"iterations": max(count, 0)}
        if "for_each" in repeat:
            items = _render(self.hub, repeat["for_each"], variables)
            if not isinstance(items, list):
                raise HubError(f"'for_each' gave {items!r}, not a list")
            for index, item in enumerate(items, start=1):
                await iteration(index, {"last": index == len(items), "item": item})
            return {"iterations": len(items)}
        index = 0
        if "while" in repeat:
            check = self.conditions.get(repeat["while"])
            while True:
                scope = {**variables, "repeat": {"first": index == 0, "index": index + 1}}
                if not check(scope, self.trace, f"{prefix}/while"):
                    break
                index += 1
                await iteration(index, {})
            return {"iterations": index}
        check = self.conditions.get(repeat["until"])
        while True:
            index += 1
            await iteration(index, {})
            scope = {**variables, "repeat": {"first": index == 1, "index": index}}
            if check(scope, self.trace, f"{prefix}/until"):
                return {"iterations": index}

    async def _variables(self, action: dict[str, Any], variables: Variables, _path: str) -> Result:
        changed: Variables = {}
        for key, value in action["variables"].items():
            changed[key] = variables[key] = _render(self.hub, value, variables)
        return {"variables": changed}

    async def _stop(self, action: dict[str, Any], _variables: Variables, _path: str) -> Result:
        raise StopRun(action["stop"], error=action["error"])

    async def _event(self, action: dict[str, Any], variables: Variables, _path: str) -> Result:
        data: Variables = {}
        for key in ("event_data", "event_data_template"):
            rendered = _render(self.hub, action.get(key) or {}, variables)
            if not isinstance(rendered, Mapping):
                raise HubError(f"'{key}' rendered to {rendered!r}, not a mapping")
            data.update(rendered)
        self.hub.bus.fire(action["event"], data, self.context)
        return {"event": action["event"], "event_data": data}

    async def _parallel(self, action: dict[str, Any], variables: Variables, path: str) -> Result:
        async def branch(index: int, actions: list[dict[str, Any]]) -> None:
            where = f"{path}/parallel/{index}"
            if len(actions) == 1:
                await self.step(actions[0], dict(variables), where)
            else:
                await self.sequence(actions, dict(variables), f"{where}/sequence")

        results = await asyncio.gather(
            *(branch(index, actions) for index, actions in enumerate(action["parallel"])),
            return_exceptions=True,
        )
        for outcome in results:
            if isinstance(outcome, BaseException):
                raise outcome
        return {"branches": len(results)}

    async def _sequence_step(
        self, action: dict[str, Any], variables: Variables, path: str
    ) -> Result:
        await self.sequence(action["sequence"], dict(variables), f"{path}/sequence")
        return {}

    async def _condition(self, action: dict[str, Any], variables: Variables, path: str) -> Result:
        check = self.conditions.one(action["condition"])
        if not check(variables, self.trace, f"{path}/condition"):
            raise ConditionFailed("condition step was false")
        return {"result": True}

    async def _plugin(self, action: dict[str, Any], variables: Variables, _path: str) -> Result:
        platform = self.platforms.actions[action["key"]]
        options = _render(self.hub, action["options"], variables)
        result = await platform.run(self.hub, options, variables)
        return {"key": action["key"], "response": result} if result is not None else {}


def _describe(err: BaseException) -> str:
    if isinstance(err, ServiceNotFound):
        return f"{err}: no loaded integration provides it"
    return str(err) or type(err).__name__
