"""Alert routing in the spirit of Alertmanager: groups, repeats, quiet hours, escalation.

``notify.alert`` hands every alert change to :class:`Router`. The first route whose
severities match takes it (``continue: true`` lets later routes match too). Alerts are
grouped by ``group_by``; a group is sent ``group_wait`` after its first alert, then at most
every ``group_interval`` when something changed, and again every ``repeat_interval`` while
alerts fire. During quiet hours a group without a critical alert waits for the end of the
window. Escalation tiers notify more targets while an alert stays unacknowledged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from hub.api import Clock

from .const import (
    ALERT_ACKNOWLEDGED,
    ALERT_FIRING,
    ALERT_RESOLVED,
    SEVERITY_CRITICAL,
    SEVERITY_INFO,
    SEVERITY_WARNING,
)
from .redact import LOGGER
from .schema import QuietHours, Route

_RANK = {SEVERITY_INFO: 0, SEVERITY_WARNING: 1, SEVERITY_CRITICAL: 2}

Send = Callable[[str, str, str, Mapping[str, Any], str], Awaitable[Any]]
"""``send(target, title, message, data, dedup_key)`` queues one notification."""
Spawn = Callable[[Coroutine[Any, Any, Any], str], None]


@dataclass(frozen=True, slots=True)
class AlertUpdate:
    """One alert as reported to ``notify.alert``."""

    alert_id: str
    severity: str
    state: str
    title: str
    message: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Group:
    route: Route
    key: str
    created: float
    alerts: dict[str, AlertUpdate] = field(default_factory=dict)
    notified: set[str] = field(default_factory=set)
    last_sent: float | None = None
    last_digest: str | None = None
    due: float | None = None
    cancel: Callable[[], None] | None = None


def quiet_until(now: dt.datetime, quiet: QuietHours) -> dt.datetime | None:
    """The end of the quiet window ``now`` (a local time) falls in, or ``None``."""
    start, end, clock = quiet.start, quiet.end, now.time().replace(tzinfo=None)
    if start == end:
        return None
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    until = now.replace(hour=end.hour, minute=end.minute, second=end.second, microsecond=0)
    return until if until > now else until + dt.timedelta(days=1)


def compose(
    firing: list[AlertUpdate], resolved: list[AlertUpdate]
) -> tuple[str, str, dict[str, Any]]:
    """Title, message and data of one group notification."""
    alerts = firing + resolved
    worst = max((a.severity for a in alerts), key=lambda s: _RANK.get(s, 0))
    data: dict[str, Any] = {
        "severity": worst,
        "state": ALERT_FIRING if firing else ALERT_RESOLVED,
        "alert_ids": [a.alert_id for a in firing],
        "resolved_ids": [a.alert_id for a in resolved],
    }
    if len(alerts) == 1:
        alert = alerts[0]
        prefix = "RESOLVED" if alert.state == ALERT_RESOLVED else alert.severity.upper()
        data = {**alert.data, **data, "alert_id": alert.alert_id}
        return f"[{prefix}] {alert.title}", alert.message, data
    title = f"[FIRING:{len(firing)}] {worst} alerts" if firing else "[RESOLVED] alerts"
    if firing and resolved:
        title += f", {len(resolved)} resolved"
    lines = [f"- {a.title}: {a.message}".rstrip(": ") for a in firing]
    lines += [f"- resolved: {a.title}" for a in resolved]
    return title, "\n".join(lines), data


class Router:
    """Turns alert updates into notifications per the configured routes."""

    def __init__(
        self, routes: tuple[Route, ...], clock: Clock, tz: ZoneInfo, send: Send, spawn: Spawn
    ) -> None:
        self._routes = routes
        self._clock = clock
        self._tz = tz
        self._send = send
        self._spawn = spawn
        self._groups: dict[str, _Group] = {}
        self._escalations: dict[str, list[Callable[[], None]]] = {}
        self._active: dict[str, AlertUpdate] = {}

    def matching(self, severity: str) -> list[tuple[int, Route]]:
        """The routes an alert of ``severity`` goes through."""
        found = []
        for index, route in enumerate(self._routes):
            if severity in route.severity:
                found.append((index, route))
                if not route.continue_matching:
                    break
        return found

    def stop(self) -> None:
        """Cancel every timer."""
        for group in self._groups.values():
            if group.cancel is not None:
                group.cancel()
        for cancels in self._escalations.values():
            for cancel in cancels:
                cancel()
        self._groups.clear()
        self._escalations.clear()

    def acknowledge(self, alert_id: str) -> None:
        """Stop escalating ``alert_id``."""
        for cancel in self._escalations.pop(alert_id, []):
            cancel()

    def handle(self, alert: AlertUpdate) -> None:
        """Take one alert update."""
        if alert.state == ALERT_ACKNOWLEDGED:
            self.acknowledge(alert.alert_id)
            return
        if alert.state == ALERT_RESOLVED:
            self.acknowledge(alert.alert_id)
            self._active.pop(alert.alert_id, None)
        else:
            self._active[alert.alert_id] = alert
        now = self._clock.time()
        for index, route in self.matching(alert.severity):
            key = self._group_key(index, route, alert)
            group = self._groups.get(key)
            if group is None:
                if alert.state == ALERT_RESOLVED:
                    continue
                group = self._groups[key] = _Group(route, key, now)
            group.alerts[alert.alert_id] = alert
            if alert.state == ALERT_FIRING:
                self._escalate_later(alert, route, now)
            self._schedule(group, now)

    @staticmethod
    def _group_key(index: int, route: Route, alert: AlertUpdate) -> str:
        parts = [str(index)]
        for label in route.group_by:
            parts.append(alert.alert_id if label == "alert_id" else alert.severity)
        return "/".join(parts)

    def _schedule(self, group: _Group, now: float) -> None:
        if group.last_sent is None:
            due = group.created + group.route.group_wait
        else:
            due = max(now, group.last_sent + group.route.group_interval)
        self._set_timer(group, due)

    def _set_timer(self, group: _Group, due: float, *, force: bool = False) -> None:
        if group.due is not None and group.due <= due and not force:
            return
        if group.cancel is not None:
            group.cancel()
        group.due = due
        group.cancel = self._clock.call_at(
            due, lambda: self._spawn(self._flush(group), f"notify:group:{group.key}")
        )

    def _muted_until(self, route: Route, severities: list[str]) -> float | None:
        if route.quiet_hours is None or SEVERITY_CRITICAL in severities:
            return None
        until = quiet_until(self._clock.now().astimezone(self._tz), route.quiet_hours)
        return until.timestamp() if until is not None else None

    async def _flush(self, group: _Group) -> None:
        group.due = group.cancel = None
        if self._groups.get(group.key) is not group:
            return
        route, now = group.route, self._clock.time()
        firing = [a for a in group.alerts.values() if a.state == ALERT_FIRING]
        resolved = [
            a
            for a in group.alerts.values()
            if a.state == ALERT_RESOLVED and a.alert_id in group.notified and route.send_resolved
        ]
        if not firing and not resolved:
            del self._groups[group.key]
            return
        digest = hashlib.sha256(
            "|".join(sorted(f"{a.alert_id}:{a.state}" for a in firing + resolved)).encode()
        ).hexdigest()[:16]
        if (
            digest == group.last_digest
            and group.last_sent is not None
            and now - group.last_sent < route.repeat_interval
        ):
            self._set_timer(group, group.last_sent + route.repeat_interval)
            return
        muted = self._muted_until(route, [a.severity for a in firing])
        if muted is not None:
            LOGGER.debug("Group %s waits for the end of quiet hours", group.key)
            self._set_timer(group, muted, force=True)
            return
        title, message, data = compose(firing, resolved)
        for target in route.targets:
            await self._send(target, title, message, data, f"group:{group.key}|{digest}")
        group.last_sent, group.last_digest = now, digest
        group.notified = {a.alert_id for a in firing}
        group.alerts = {a.alert_id: a for a in firing}
        if firing:
            self._set_timer(group, now + route.repeat_interval, force=True)
        else:
            del self._groups[group.key]

    def _escalate_later(self, alert: AlertUpdate, route: Route, now: float) -> None:
        if not route.escalation or alert.alert_id in self._escalations:
            return
        cancels = []
        for tier_index, tier in enumerate(route.escalation):

            def fire(tier_index: int = tier_index) -> None:
                self._spawn(
                    self._escalate(alert.alert_id, route, tier_index),
                    f"notify:escalate:{alert.alert_id}",
                )

            cancels.append(self._clock.call_at(now + tier.after, fire))
        self._escalations[alert.alert_id] = cancels

    async def _escalate(self, alert_id: str, route: Route, tier_index: int) -> None:
        alert = self._active.get(alert_id)
        if alert is None or alert_id not in self._escalations:
            return
        muted = self._muted_until(route, [alert.severity])
        if muted is not None:

            def later() -> None:
                self._spawn(self._escalate(alert_id, route, tier_index), "notify:escalate")

            self._escalations[alert_id].append(self._clock.call_at(muted, later))
            return
        tier = route.escalation[tier_index]
        minutes = round(tier.after / 60)
        title = f"[ESCALATED] {alert.title}"
        message = f"Not acknowledged after {minutes} min. {alert.message}".strip()
        data = {
            **alert.data,
            "alert_id": alert_id,
            "severity": alert.severity,
            "state": ALERT_FIRING,
            "escalation_tier": tier_index + 1,
        }
        for target in tier.targets:
            await self._send(target, title, message, data, f"escalation:{alert_id}|{tier_index}")
