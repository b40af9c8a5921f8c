"""REST routes of the alerts: list, detail with history, operator actions and the KPI report.

``GET /api/alerts`` (filter ``state`` = on/off/idle or an ISA letter, ``severity``),
``GET /api/alerts/kpi?start=&end=``, ``GET /api/alerts/{alert_id}``, and for operators
``POST /api/alerts/{alert_id}/acknowledge|shelve|unshelve``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from aiohttp import web

from hub.alerts.kpi import DAY
from hub.alerts.manager import ALERTS, AlertManager
from hub.alerts.model import IllegalTransition
from hub.alerts.runtime import AlertRuntime
from hub.alerts.shelving import ShelveError
from hub.config import cv
from hub.http.errors import ApiError, json_response
from hub.http.keys import request_context
from hub.http.openapi import operation
from hub.http.request import read_json

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.routing import Register

OPERATOR: Final = "operator"
_ALERT: Final[dict[str, Any]] = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "entity_id": {"type": "string"},
        "name": {"type": "string"},
        "severity": {"enum": ["critical", "warning", "info"]},
        "state": {"enum": ["on", "off", "idle"]},
        "isa_state": {"enum": list("ABCDEFGH")},
        "acknowledged": {"type": "boolean"},
        "shelving": {"type": "object"},
        "occurrence_id": {"type": ["string", "null"]},
    },
}
_WRAPPED: Final = {"type": "object", "properties": {"alert": _ALERT}}
_SHELVE_BODY: Final = {
    "type": "object",
    "required": ["reason"],
    "properties": {
        "duration": {
            "oneOf": [{"type": "number"}, {"type": "string", "example": "01:30:00"}],
            "description": "seconds or HH:MM:SS; leave out for a one-shot shelve",
        },
        "reason": {"type": "string"},
    },
}
_PATH_ID: Final = {"name": "alert_id", "in": "path", "required": True, "schema": {"type": "string"}}


def _duration(value: Any) -> float:
    seconds = cv.positive_time_period(value).total_seconds()
    if seconds <= 0:
        raise vol.Invalid("duration must be longer than zero")
    return seconds


SHELVE_SCHEMA: Final = vol.Schema(
    {vol.Required("reason"): cv.string, vol.Optional("duration"): _duration}
)


def _timestamp(request: web.Request, name: str, default: float) -> float:
    """A query parameter as epoch seconds; accepts a number or an ISO 8601 date-time."""
    text = request.query.get(name)
    if text is None or not text.strip():
        return default
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(
            400, "invalid_input", f"{name} must be epoch seconds or an ISO 8601 date-time"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def _wanted(request: web.Request, name: str) -> set[str] | None:
    text = request.query.get(name)
    if not text:
        return None
    return {part.strip() for part in text.split(",") if part.strip()}


def register_http_views(hub: Hub, register: Register) -> None:
    """Register the alert routes."""

    def manager() -> AlertManager:
        found = hub.data.get(ALERTS)
        if found is None:
            raise ApiError(503, "alerts_not_running", "the alert component is not running")
        return found

    def alert_of(request: web.Request) -> AlertRuntime:
        alert_id = request.match_info["alert_id"]
        runtime = manager().get(alert_id)
        if runtime is None:
            raise ApiError(404, "alert_not_found", f"alert {alert_id} not found")
        return runtime

    def act(runtime: AlertRuntime, action: str, run: Any) -> web.Response:
        try:
            run()
        except ShelveError as err:
            raise ApiError(400, "shelve_refused", str(err)) from None
        except IllegalTransition as err:
            raise ApiError(409, "illegal_transition", f"{action}: {err}") from None
        return json_response({"alert": runtime.as_dict()})

    async def list_alerts(request: web.Request) -> web.Response:
        states = _wanted(request, "state")
        severities = _wanted(request, "severity")
        found = []
        for runtime in manager().runtimes():
            data = runtime.as_dict()
            if states is not None and not states & {data["state"], data["isa_state"]}:
                continue
            if severities is not None and data["severity"] not in severities:
                continue
            found.append(data)
        return json_response(found)

    async def kpi_report(request: web.Request) -> web.Response:
        end = _timestamp(request, "end", hub.clock.time())
        start = _timestamp(request, "start", end - DAY)
        if end <= start:
            raise ApiError(400, "invalid_input", "end must be after start")
        report = await manager().kpi(start, end)
        return json_response(report.to_dict())

    async def detail(request: web.Request) -> web.Response:
        runtime = alert_of(request)
        occurrences, audit = await manager().history(runtime.alert_id)
        by_occurrence: dict[str | None, list[dict[str, Any]]] = {}
        for entry in audit:
            by_occurrence.setdefault(entry.occurrence_id, []).append(entry.to_dict())
        history = []
        for occ in occurrences:
            item = occ.to_dict()
            item["audit"] = list(reversed(by_occurrence.get(occ.id, [])))
            history.append(item)
        return json_response(
            {
                "alert": runtime.as_dict(),
                "occurrences": history,
                "audit": [entry.to_dict() for entry in audit],
            }
        )

    async def acknowledge(request: web.Request) -> web.Response:
        runtime = alert_of(request)
        context = request_context(request)
        return act(runtime, "acknowledge", lambda: runtime.acknowledge(context))

    async def shelve(request: web.Request) -> web.Response:
        runtime = alert_of(request)
        body = await read_json(request, SHELVE_SCHEMA)
        context = request_context(request)
        return act(
            runtime,
            "shelve",
            lambda: runtime.shelve(context, body["reason"], body.get("duration")),
        )

    async def unshelve(request: web.Request) -> web.Response:
        runtime = alert_of(request)
        context = request_context(request)
        return act(runtime, "unshelve", lambda: runtime.unshelve(context))

    errors = {"404": "Unknown alert", "409": "Not allowed in the alert's current state"}
    register(
        "GET",
        "/api/alerts",
        list_alerts,
        openapi=operation(
            "Every alert with its current state",
            response={"type": "array", "items": _ALERT},
            parameters=[
                {
                    "name": "state",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "on, off, idle or ISA letters A-H; comma-separated",
                },
                {
                    "name": "severity",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "critical, warning, info; comma-separated",
                },
            ],
        ),
    )
    register(
        "GET",
        "/api/alerts/kpi",
        kpi_report,
        openapi=operation(
            "Alarm-system KPIs (ISA-18.2 / EEMUA 191) over stored occurrences",
            response={"type": "object"},
            errors={"400": "Bad range"},
            parameters=[
                {
                    "name": "start",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "epoch seconds or ISO 8601; default 24 h before end",
                },
                {
                    "name": "end",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "epoch seconds or ISO 8601; default now",
                },
            ],
        ),
    )
    register(
        "GET",
        "/api/alerts/{alert_id}",
        detail,
        openapi=operation(
            "One alert with its occurrences and audit trail, newest first",
            response={"type": "object"},
            errors={"404": "Unknown alert"},
            parameters=[_PATH_ID],
        ),
    )
    register(
        "POST",
        "/api/alerts/{alert_id}/acknowledge",
        acknowledge,
        role=OPERATOR,
        openapi=operation(
            "Acknowledge an alert", response=_WRAPPED, errors=errors, parameters=[_PATH_ID]
        ),
    )
    register(
        "POST",
        "/api/alerts/{alert_id}/shelve",
        shelve,
        role=OPERATOR,
        openapi=operation(
            "Shelve an alert for a duration up to its max_shelve, or one-shot",
            response=_WRAPPED,
            body=_SHELVE_BODY,
            errors={"400": "Duration over max_shelve, or no reason", **errors},
            parameters=[_PATH_ID],
        ),
    )
    register(
        "POST",
        "/api/alerts/{alert_id}/unshelve",
        unshelve,
        role=OPERATOR,
        openapi=operation(
            "End a shelve early", response=_WRAPPED, errors=errors, parameters=[_PATH_ID]
        ),
    )
