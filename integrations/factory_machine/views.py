"""REST routes: machines, OEE per machine and rolled up, ingest keys, reports.

A user whose ``sites`` is not empty sees and acts on those sites only: lists are filtered,
and naming a machine or site outside the scope answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import orjson
from aiohttp import web

from hub.api import Hub, User, request_user

from .const import PATH_INGEST, PATH_KEY, PATH_KEYS, PATH_MACHINE_OEE, PATH_MACHINES, PATH_ROLLUP
from .ingest import OPENAPI_INGEST, IngestView, error, json, runtime_getter
from .oee_service import day_period, result_dict, results_for, rollup_results, shift_periods
from .registry import Machine
from .runtime import FactoryRuntime
from .shifts import Period

MAX_ROLLUP_DAYS = 366


class Denied(Exception):
    """A request the user may not make; carries the response."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.text)
        self.response = response


def in_scope(user: User, site: str) -> bool:
    """Whether ``user`` may see ``site`` (no sites listed: every site)."""
    return not user.sites or site in user.sites


def parse_date(text: str | None, default: date) -> date:
    """An ISO date from a query parameter, or ``default``; Denied(400) if malformed."""
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Denied(
            error(400, "invalid_date", f"expected a date like 2025-03-01, got {text!r}")
        ) from None


class FactoryViews:
    """Route handlers bound to one hub."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._runtime_of = runtime_getter(hub)

    def runtime(self) -> FactoryRuntime:
        """The running integration, else Denied(503)."""
        runtime: FactoryRuntime | None = self._runtime_of()
        if runtime is None:
            raise Denied(error(503, "not_set_up", "factory_machine is not set up"))
        return runtime

    def machine(self, request: web.Request, machine_id: str) -> Machine:
        """A machine the request's user may see, else Denied(404/403)."""
        machine = self.runtime().registry.get(machine_id)
        if machine is None:
            raise Denied(error(404, "not_found", f"no machine {machine_id!r}"))
        if not in_scope(request_user(request), machine.site):
            raise Denied(error(403, "forbidden", f"you have no access to site {machine.site!r}"))
        return machine

    def scoped_machines(
        self, request: web.Request, site: str | None, area: str | None, machine: str | None
    ) -> list[Machine]:
        """Machines matching the filters inside the user's scope; 403 for a foreign site."""
        user = request_user(request)
        if site is not None and not in_scope(user, site):
            raise Denied(error(403, "forbidden", f"you have no access to site {site!r}"))
        if machine is not None:
            return [self.machine(request, machine)]
        return self.runtime().registry.machines(sites=user.sites, site=site, area=area)

    async def machines(self, request: web.Request) -> web.Response:
        """Machines in scope, with their live status."""
        runtime = self.runtime()
        items = []
        for machine in runtime.registry.machines(sites=request_user(request).sites):
            tracker = runtime.trackers[machine.id]
            entities = runtime.entities.get(machine.id)
            items.append(
                {
                    **machine.as_dict(),
                    "last_seen": tracker.last_seen,
                    "state_code": tracker.state_code,
                    "entities": []
                    if entities is None
                    else [e.entity_id for e in entities.all() if e.added],
                }
            )
        return json({"machines": items})

    async def machine_oee(self, request: web.Request) -> web.Response:
        """OEE of one machine per shift or for the day (``period``, ``date``)."""
        machine = self.machine(request, request.match_info["machine_id"])
        period = request.query.get("period", "day")
        if period not in ("shift", "day"):
            return error(400, "invalid_period", "period must be shift or day")
        today = self._hub.clock.now().astimezone(machine.time_zone).date()
        day = parse_date(request.query.get("date"), today)
        periods = shift_periods(machine, day) if period == "shift" else [day_period(machine, day)]
        await self.runtime().flush()
        results = await results_for(self._hub, [machine], {machine.id: periods})
        return json(
            {
                "machine": machine.id,
                "period": period,
                "date": day.isoformat(),
                "results": [result_dict(r) for r in results[machine.id]],
            }
        )

    async def rollup(self, request: web.Request) -> web.Response:
        """OEE summed over machines (site/area filters) and days ``from``..``to``."""
        query = request.query
        machines = self.scoped_machines(request, query.get("site"), query.get("area"), None)
        if not machines:
            return error(404, "not_found", "no machine matches")
        today = self._hub.clock.now().astimezone(machines[0].time_zone).date()
        first = parse_date(query.get("from"), today)
        last = parse_date(query.get("to"), first)
        if last < first or (last - first).days >= MAX_ROLLUP_DAYS:
            return error(400, "invalid_range", f"from..to must span 1 to {MAX_ROLLUP_DAYS} days")
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        periods: dict[str, list[Period]] = {
            m.id: [day_period(m, d) for d in days] for m in machines
        }
        await self.runtime().flush()
        results = await results_for(self._hub, machines, periods)
        label = f"{first.isoformat()}..{last.isoformat()}"
        per_machine = [rollup_results(results[m.id], m.id, label) for m in machines]
        members = [r for r in per_machine if r is not None]
        scope = query.get("area") or query.get("site") or "all"
        total = rollup_results(members, scope, label)
        return json(
            {
                "scope": scope,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "rollup": None if total is None else result_dict(total),
                "machines": [result_dict(r) for r in members],
            }
        )

    async def create_key(self, request: web.Request) -> web.Response:
        """Issue an ingest key for a machine; the token is in this response only."""
        try:
            body = orjson.loads(await request.read() or b"{}")
        except orjson.JSONDecodeError:
            return error(400, "invalid_json", "the body is not valid JSON")
        machine_id = body.get("machine") if isinstance(body, dict) else None
        if not isinstance(machine_id, str):
            return error(400, "invalid_input", 'expected {"machine": "<site>/<area>/<machine>"}')
        machine = self.machine(request, machine_id)
        label = body.get("label")
        created = await self.runtime().keys.create(
            machine.id, label if isinstance(label, str) else None
        )
        return json({**created.info.as_dict(), "token": created.token}, 201)

    async def list_keys(self, request: web.Request) -> web.Response:
        """Ingest keys of the machines in scope (never the secrets)."""
        runtime = self.runtime()
        machines = [m.id for m in runtime.registry.machines(sites=request_user(request).sites)]
        user = request_user(request)
        keys = await runtime.keys.list(machines if user.sites else None)
        return json({"keys": [k.as_dict() for k in keys]})

    async def revoke_key(self, request: web.Request) -> web.Response:
        """Revoke an ingest key; it stops working with the next request."""
        runtime = self.runtime()
        info = await runtime.keys.get(request.match_info["key_id"])
        if info is None:
            return error(404, "not_found", "no such key")
        site = info.machine.split("/", 1)[0]
        if not in_scope(request_user(request), site):
            return error(403, "forbidden", f"you have no access to site {site!r}")
        revoked = await runtime.keys.revoke(info.key_id)
        runtime.buckets.forget(info.machine)
        return json(None if revoked is None else revoked.as_dict())


Handler = Callable[[web.Request], Any]


def denying(handler: Handler) -> Handler:
    """Turn :class:`Denied` into its response."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            response: web.StreamResponse = await handler(request)
        except Denied as denied:
            return denied.response
        return response

    return wrapped


def register_views(hub: Hub, register: Callable[..., None]) -> None:
    """Register the integration's routes with the hub's HTTP server."""
    from .report_views import ReportViews

    views = FactoryViews(hub)
    ingest = IngestView(runtime_getter(hub))
    reports = ReportViews(hub, views)
    register("POST", PATH_INGEST, ingest.post, role="device", openapi=OPENAPI_INGEST)
    routes: list[tuple[str, str, Handler, str, str]] = [
        ("GET", PATH_MACHINES, views.machines, "viewer", "Factory machines in your scope"),
        ("GET", PATH_MACHINE_OEE, views.machine_oee, "viewer", "OEE of a machine per shift/day"),
        ("GET", PATH_ROLLUP, views.rollup, "viewer", "OEE rolled up over machines and days"),
        ("GET", PATH_KEYS, views.list_keys, "operator", "Ingest keys (no secrets)"),
        ("POST", PATH_KEYS, views.create_key, "operator", "Create a machine ingest key"),
        ("DELETE", PATH_KEY, views.revoke_key, "operator", "Revoke a machine ingest key"),
        ("GET", reports.path, reports.get, "viewer", "Factory report as JSON, CSV or PDF"),
    ]
    for method, path, handler, role, summary in routes:
        register(method, path, denying(handler), role=role, openapi={"summary": summary})
