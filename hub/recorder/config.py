"""The ``recorder:`` section: schema (all keys optional) and the typed settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import voluptuous as vol

from hub.config import cv
from hub.recorder.filters import RecordFilter, Retention, RetentionRule, Selector

DEFAULT_COMMIT_INTERVAL = 1.0
DEFAULT_KEEP_DAYS = 10
DEFAULT_MAX_BACKLOG = 100_000
DEFAULT_PURGE_TIME = dt.time(4, 12)
DEFAULT_REPACK_THRESHOLD = 100_000

_SELECTOR: dict[Any, Any] = {
    vol.Optional("domains", default=[]): vol.All(cv.ensure_list, [cv.string]),
    vol.Optional("entities", default=[]): vol.All(cv.ensure_list, [cv.entity_id]),
    vol.Optional("entity_globs", default=[]): vol.All(cv.ensure_list, [cv.string]),
}
_FILTER = vol.Schema(
    vol.All(
        lambda value: {} if value is None else value,
        {
            **_SELECTOR,
            vol.Optional("event_types", default=[]): vol.All(cv.ensure_list, [cv.string]),
        },
    )
)
_RETENTION_RULE = vol.Schema({**_SELECTOR, vol.Required("keep_days"): cv.positive_float})

SECTION_SCHEMA = vol.Schema(
    vol.All(
        lambda value: {} if value is None else value,
        {
            vol.Optional("db_url"): cv.string,
            vol.Optional("commit_interval", default=DEFAULT_COMMIT_INTERVAL): vol.All(
                cv.positive_time_period, lambda period: period.total_seconds()
            ),
            vol.Optional("keep_days", default=DEFAULT_KEEP_DAYS): cv.positive_float,
            vol.Optional("retention", default=[]): [_RETENTION_RULE],
            vol.Optional("purge_time", default=DEFAULT_PURGE_TIME): cv.time,
            vol.Optional("auto_purge", default=True): cv.boolean,
            vol.Optional("auto_repack", default=True): cv.boolean,
            vol.Optional("repack_threshold", default=DEFAULT_REPACK_THRESHOLD): cv.positive_int,
            vol.Optional("max_backlog", default=DEFAULT_MAX_BACKLOG): cv.int_in_range(100),
            vol.Optional("include", default={}): _FILTER,
            vol.Optional("exclude", default={}): _FILTER,
        },
    )
)
"""Validates the section into a plain mapping (the core reads ``db_url`` from it)."""


def _selector(section: Mapping[str, Any]) -> Selector:
    return Selector(
        domains=frozenset(section.get("domains", ())),
        entities=frozenset(section.get("entities", ())),
        entity_globs=tuple(section.get("entity_globs", ())),
    )


@dataclass(frozen=True, slots=True)
class RecorderConfig:
    """Typed recorder settings."""

    db_url: str | None = None
    commit_interval: float = DEFAULT_COMMIT_INTERVAL
    retention: Retention = field(default_factory=lambda: Retention(DEFAULT_KEEP_DAYS))
    purge_time: dt.time = DEFAULT_PURGE_TIME
    auto_purge: bool = True
    auto_repack: bool = True
    repack_threshold: int = DEFAULT_REPACK_THRESHOLD
    max_backlog: int = DEFAULT_MAX_BACKLOG
    record_filter: RecordFilter = field(default_factory=RecordFilter)

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> RecorderConfig:
        """Build from the validated section."""
        include = section.get("include", {})
        exclude = section.get("exclude", {})
        return cls(
            db_url=section.get("db_url"),
            commit_interval=float(section.get("commit_interval", DEFAULT_COMMIT_INTERVAL)),
            retention=Retention(
                float(section.get("keep_days", DEFAULT_KEEP_DAYS)),
                tuple(
                    RetentionRule(_selector(rule), float(rule["keep_days"]))
                    for rule in section.get("retention", ())
                ),
            ),
            purge_time=section.get("purge_time", DEFAULT_PURGE_TIME),
            auto_purge=bool(section.get("auto_purge", True)),
            auto_repack=bool(section.get("auto_repack", True)),
            repack_threshold=int(section.get("repack_threshold", DEFAULT_REPACK_THRESHOLD)),
            max_backlog=int(section.get("max_backlog", DEFAULT_MAX_BACKLOG)),
            record_filter=RecordFilter(
                include=_selector(include),
                exclude=_selector(exclude),
                include_event_types=frozenset(include.get("event_types", ())),
                exclude_event_types=frozenset(exclude.get("event_types", ())),
            ),
        )
