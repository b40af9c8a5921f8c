"""What one render read and how much it cost: tracked entities, domains, time, budget."""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass, field

from hub.automation.templates.errors import TemplateError


@dataclass(frozen=True, slots=True)
class TemplateLimits:
    """Bounds on one render: operations (calls, attribute reads, loop steps), output, time."""

    max_operations: int = 100_000
    max_output: int = 256 * 1024
    max_seconds: float = 0.25
    max_range: int = 10_000


DEFAULT_LIMITS = TemplateLimits()


@dataclass(slots=True)
class RenderInfo:
    """The entities and domains a render read, and whether it read the time."""

    entities: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    all_states: bool = False
    uses_time: bool = False

    def matches(self, entity_id: str) -> bool:
        """True if a change of ``entity_id`` may change the result."""
        if self.all_states or entity_id in self.entities:
            return True
        return entity_id.partition(".")[0] in self.domains


class RenderBudget:
    """Counts the work of one render and fails it cleanly past its limits."""

    __slots__ = ("deadline", "info", "limits", "operations")

    def __init__(self, limits: TemplateLimits, clock: float | None = None) -> None:
        self.limits = limits
        self.operations = 0
        self.deadline = (time.monotonic() if clock is None else clock) + limits.max_seconds
        self.info = RenderInfo()

    def tick(self, count: int = 1) -> None:
        """Account for ``count`` operations; raise :class:`TemplateError` past a limit."""
        self.operations += count
        if self.operations > self.limits.max_operations:
            raise TemplateError(
                f"template exceeded {self.limits.max_operations} operations; simplify it"
            )
        if self.operations & 0xFF == 0 and time.monotonic() > self.deadline:
            raise TemplateError(
                f"template took longer than {self.limits.max_seconds:g} s to render"
            )


CURRENT_BUDGET: ContextVar[RenderBudget | None] = ContextVar("template_budget", default=None)


def current_info() -> RenderInfo | None:
    """The render info of the render in progress, if any."""
    budget = CURRENT_BUDGET.get()
    return None if budget is None else budget.info


def tick(count: int = 1) -> None:
    """Charge the render in progress (no-op outside a render)."""
    budget = CURRENT_BUDGET.get()
    if budget is not None:
        budget.tick(count)
