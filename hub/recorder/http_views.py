"""REST routes for history, statistics, the logbook and CSV export.

Every handler parses its query, then runs the database work in the thread pool through
:meth:`Recorder.run_query`; nothing touches the database on the event loop.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web

from hub.core.jsonutil import dumps
from hub.recorder.export import history_csv
from hub.recorder.history import HistoryQuery, get_history
from hub.recorder.logbook import get_logbook
from hub.recorder.recorder import RECORDER, Recorder
from hub.recorder.statistics import PERIODS, read_statistics

if TYPE_CHECKING:
    from hub.core.hub import Hub

DAY = 86_400.0
MAX_POINTS_LIMIT = 100_000
_TRUE = ("", "1", "true", "yes", "on")

Handler = Callable[[web.Request], Any]


class BadRequest(ValueError):
    """A query parameter the caller must fix."""


def parse_time(text: str, time_zone: str) -> float:
    """Epoch seconds of an ISO 8601 time (naive times are in the hub's time zone)."""
    try:
        moment = dt.datetime.fromisoformat(text.replace(" ", "+"))
    except ValueError:
        raise BadRequest(
            f"invalid time {text!r}: use ISO 8601, e.g. 2026-01-01T00:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(time_zone))
    return moment.timestamp()


def _param(request: web.Request, *names: str) -> str | None:
    for name in names:
        if name in request.query:
            return request.query[name]
    return None


def _flag(request: web.Request, name: str) -> bool:
    return name in request.query and request.query[name].lower() in _TRUE


def _entity_ids(request: web.Request) -> list[str] | None:
    raw = _param(request, "filter_entity_id", "entity_id", "entity")
    if raw is None:
        return None
    ids = [part.strip().lower() for part in raw.split(",") if part.strip()]
    if not ids:
        raise BadRequest("filter_entity_id is empty")
    return ids


def _period(request: web.Request, hub: Hub, default_days: float = 1.0) -> tuple[float, float]:
    zone = hub.settings.time_zone
    end_text = _param(request, "end_time", "end")
    end = parse_time(end_text, zone) if end_text else hub.clock.time()
    start_text = request.match_info.get("start") or _param(request, "start_time", "start")
    start = parse_time(start_text, zone) if start_text else end - default_days * DAY
    if end <= start:
        raise BadRequest("the end must be after the start")
    return start, end


def _max_points(request: web.Request) -> int | None:
    raw = _param(request, "max_points")
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"max_points must be a whole number, got {raw!r}") from None
    if not 2 <= value <= MAX_POINTS_LIMIT:
        raise BadRequest(f"max_points must be between 2 and {MAX_POINTS_LIMIT}")
    return value


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=dumps)


def _recorder(hub: Hub) -> Recorder:
    recorder = hub.data.get(RECORDER)
    if recorder is None:
        raise web.HTTPServiceUnavailable(
            text=dumps({"message": "the recorder is not running"}), content_type="application/json"
        )
    return recorder


def _guarded(handler: Callable[[web.Request], Any]) -> Handler:
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            response: web.StreamResponse = await handler(request)
        except BadRequest as err:
            return _json({"message": str(err)}, status=400)
        return response

    return guarded


def _history_handler(hub: Hub) -> Handler:
    async def history(request: web.Request) -> web.Response:
        recorder = _recorder(hub)
        start, end = _period(request, hub)
        query = HistoryQuery(
            site_id=recorder.site_id,
            start=start,
            end=end,
            entity_ids=_entity_ids(request),
            max_points=_max_points(request),
            minimal_response=_flag(request, "minimal_response"),
            no_attributes=_flag(request, "no_attributes"),
        )
        return _json(await recorder.run_query(partial(get_history, query=query)))

    return _guarded(history)


def _statistics_handler(hub: Hub) -> Handler:
    async def statistics(request: web.Request) -> web.Response:
        recorder = _recorder(hub)
        statistic_id = request.match_info["statistic_id"]
        period = _param(request, "period") or "hour"
        if period not in PERIODS:
            raise BadRequest(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
        start, end = _period(request, hub)
        rows = await recorder.run_query(
            lambda conn: read_statistics(
                conn, recorder.site_id, statistic_id, start, end, period, hub.settings.time_zone
            )
        )
        return _json(
            {
                "statistic_id": statistic_id,
                "period": period,
                "statistics": [row.as_dict() for row in rows],
            }
        )

    return _guarded(statistics)


def _logbook_handler(hub: Hub) -> Handler:
    async def logbook(request: web.Request) -> web.Response:
        recorder = _recorder(hub)
        start, end = _period(request, hub)
        entity_ids = _entity_ids(request)
        return _json(
            await recorder.run_query(
                lambda conn: get_logbook(conn, recorder.site_id, start, end, entity_ids)
            )
        )

    return _guarded(logbook)


def _export_handler(hub: Hub) -> Handler:
    async def export(request: web.Request) -> web.Response:
        recorder = _recorder(hub)
        entity_id = request.match_info["entity_id"].lower()
        start, end = _period(request, hub)
        text = await recorder.run_query(
            lambda conn: history_csv(conn, recorder.site_id, entity_id, start, end)
        )
        return web.Response(
            text=text,
            content_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{entity_id}.csv"'},
        )

    return _guarded(export)


def _time_param(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "format": "date-time"},
    }


def _query_param(name: str, description: str, kind: str = "string") -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": kind},
    }


def _path_param(name: str, description: str, kind: str = "string") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if kind == "date-time":
        schema["format"] = "date-time"
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


_STATE_OBJECT = {
    "type": "object",
    "properties": {
        "entity_id": {"type": "string"},
        "state": {"type": "string"},
        "attributes": {"type": "object"},
        "last_changed": {"type": "string", "format": "date-time"},
        "last_updated": {"type": "string", "format": "date-time"},
    },
    "required": ["state", "last_changed"],
}
_BAD_REQUEST = {"description": "A query parameter is invalid; the message says which."}
_HISTORY_PARAMS = [
    _query_param("filter_entity_id", "comma-separated entity ids (alias: entity_id)"),
    _time_param("end_time", "end of the period (alias: end); default now"),
    _query_param(
        "max_points", "downsample each entity to about N points, keeping peaks", "integer"
    ),
    _query_param(
        "minimal_response", "only state and last_changed between first and last", "boolean"
    ),
    _query_param("no_attributes", "leave attributes out", "boolean"),
]

HISTORY_OPENAPI: dict[str, Any] = {
    "summary": "State history of a period",
    "description": "One list per entity of its recorded states, oldest first, starting with "
    "the state in effect at the start. Without max_points every recorded change is returned.",
    "tags": ["history"],
    "parameters": [_path_param("start", "start of the period", "date-time"), *_HISTORY_PARAMS],
    "responses": {
        "200": {
            "description": "A list per entity of state objects",
            "content": {
                "application/json": {
                    "schema": {"type": "array", "items": {"type": "array", "items": _STATE_OBJECT}}
                }
            },
        },
        "400": _BAD_REQUEST,
    },
}
HISTORY_DEFAULT_OPENAPI: dict[str, Any] = {
    **HISTORY_OPENAPI,
    "summary": "State history of the last day",
    "parameters": _HISTORY_PARAMS,
}
STATISTICS_OPENAPI: dict[str, Any] = {
    "summary": "Statistics of a sensor",
    "description": "Mean/min/max (measurements) or state/sum (totals) per period.",
    "tags": ["history"],
    "parameters": [
        _path_param("statistic_id", "the statistic (the sensor's entity id)"),
        _time_param("start", "start of the range; default one day before end"),
        _time_param("end", "end of the range; default now"),
        {
            "name": "period",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": list(PERIODS), "default": "hour"},
        },
    ],
    "responses": {
        "200": {
            "description": "The statistic's rows",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "statistic_id": {"type": "string"},
                            "period": {"type": "string"},
                            "statistics": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        key: {"type": "number", "nullable": True}
                                        for key in ("mean", "min", "max", "state", "sum")
                                    }
                                    | {"start": {"type": "string", "format": "date-time"}},
                                },
                            },
                        },
                    }
                }
            },
        },
        "400": _BAD_REQUEST,
    },
}
LOGBOOK_OPENAPI: dict[str, Any] = {
    "summary": "Logbook of a period",
    "description": "State changes as sentences (and notable events when no entity is given).",
    "tags": ["history"],
    "parameters": [
        _path_param("start", "start of the period", "date-time"),
        _time_param("end_time", "end of the period (alias: end); default now"),
        _query_param("entity", "comma-separated entity ids (alias: entity_id)"),
    ],
    "responses": {
        "200": {
            "description": "Entries, oldest first",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "when": {"type": "string", "format": "date-time"},
                                "entity_id": {"type": "string", "nullable": True},
                                "name": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    }
                }
            },
        },
        "400": _BAD_REQUEST,
    },
}
EXPORT_OPENAPI: dict[str, Any] = {
    "summary": "Export an entity's history as CSV",
    "tags": ["history"],
    "parameters": [
        _path_param("entity_id", "the entity"),
        _time_param("start", "start of the range; default one day before end"),
        _time_param("end", "end of the range; default now"),
    ],
    "responses": {
        "200": {
            "description": "entity_id,state,last_changed,last_updated rows with a header",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        "400": _BAD_REQUEST,
    },
}


def register_http_views(hub: Hub, register: Callable[..., None]) -> None:
    """Register the history, statistics, logbook and export routes (viewer role)."""
    history = _history_handler(hub)
    register("GET", "/api/history/period", history, openapi=HISTORY_DEFAULT_OPENAPI)
    register("GET", "/api/history/period/{start}", history, openapi=HISTORY_OPENAPI)
    register(
        "GET",
        "/api/statistics/{statistic_id}",
        _statistics_handler(hub),
        openapi=STATISTICS_OPENAPI,
    )
    register("GET", "/api/logbook/{start}", _logbook_handler(hub), openapi=LOGBOOK_OPENAPI)
    register(
        "GET", "/api/history/export/{entity_id}.csv", _export_handler(hub), openapi=EXPORT_OPENAPI
    )
