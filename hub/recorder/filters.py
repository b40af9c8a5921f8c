"""Which entities and events the recorder keeps, and for how long."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field


def _glob_regex(globs: Iterable[str]) -> re.Pattern[str] | None:
    patterns = [fnmatch.translate(glob) for glob in globs]
    return re.compile("|".join(patterns)) if patterns else None


@dataclass(frozen=True, slots=True)
class Selector:
    """Entities chosen by domain, exact id or glob (``sensor.*_raw``)."""

    domains: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    entity_globs: tuple[str, ...] = ()
    _regex: re.Pattern[str] | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regex", _glob_regex(self.entity_globs))

    @property
    def empty(self) -> bool:
        """True when nothing is selected."""
        return not (self.domains or self.entities or self.entity_globs)

    def matches(self, entity_id: str) -> bool:
        """True if ``entity_id`` is selected."""
        if entity_id in self.entities or entity_id.partition(".")[0] in self.domains:
            return True
        return self._regex is not None and self._regex.match(entity_id) is not None


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """Include/exclude rules: with an include list only what it names is recorded; an
    exclude always wins. Decisions are cached per entity id and event type."""

    include: Selector = field(default_factory=Selector)
    exclude: Selector = field(default_factory=Selector)
    include_event_types: frozenset[str] = frozenset()
    exclude_event_types: frozenset[str] = frozenset()
    _cache: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def entity(self, entity_id: str) -> bool:
        """True if states of ``entity_id`` are recorded."""
        decision = self._cache.get(entity_id)
        if decision is None:
            decision = not self.exclude.matches(entity_id) and (
                self.include.empty or self.include.matches(entity_id)
            )
            self._cache[entity_id] = decision
        return decision

    def event_type(self, event_type: str) -> bool:
        """True if events of ``event_type`` are recorded."""
        if event_type in self.exclude_event_types:
            return False
        return not self.include_event_types or event_type in self.include_event_types


@dataclass(frozen=True, slots=True)
class RetentionRule:
    """Keep the states of the selected entities ``keep_days`` days."""

    selector: Selector
    keep_days: float


@dataclass(frozen=True, slots=True)
class Retention:
    """Days to keep per entity: the first matching rule, else ``keep_days``."""

    keep_days: float
    rules: tuple[RetentionRule, ...] = ()

    def days_for(self, entity_id: str) -> float:
        """How many days of ``entity_id``'s history to keep."""
        for rule in self.rules:
            if rule.selector.matches(entity_id):
                return rule.keep_days
        return self.keep_days
