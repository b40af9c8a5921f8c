"""Building the aiohttp application: middlewares, shared state, and every route."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from types import ModuleType
from typing import Final

from aiohttp import web

from hub.core.hub import Hub
from hub.http.auth import AuthManager
from hub.http.config import HttpConfig
from hub.http.guard import guarded
from hub.http.keys import (
    AUTH,
    HUB,
    LOGIN_LIMITER,
    REQUEST_LIMITER,
    ROUTES,
    STATE_JSON,
)
from hub.http.middleware import address_middleware, cors_middleware, error_middleware
from hub.http.ratelimit import LoginLimiter, RequestLimiter
from hub.http.routing import RouteTable
from hub.http.state_json import StateJsonCache
from hub.http.static import StaticUI
from hub.http.views import register_core_views
from hub.http.websocket.builtin import register_builtin_commands
from hub.http.websocket.commands import ws_commands
from hub.http.websocket.server import WEBSOCKETS, WebSocketHub

_LOGGER = logging.getLogger(__name__)

VIEW_PACKAGES: Final = ("core", "recorder", "automation", "alerts", "window")
"""Core packages whose ``http_views`` module (if present) adds routes."""

WEBSOCKET_PATH: Final = "/api/websocket"


def import_view_modules() -> list[tuple[str, ModuleType]]:
    """``hub.<pkg>.http_views`` of each core package that has one (blocking import)."""
    found = []
    for package in VIEW_PACKAGES:
        name = f"hub.{package}.http_views"
        if importlib.util.find_spec(name) is not None:
            found.append((package, importlib.import_module(name)))
    return found


def collect_routes(hub: Hub, view_modules: list[tuple[str, ModuleType]]) -> RouteTable:
    """Core routes, core packages' routes, then plugins' routes."""
    table = RouteTable()
    register_core_views(hub, table.registrar("core"))
    for package, module in view_modules:
        module.register_http_views(hub, table.registrar(package))
    for plugin, args, kwargs in hub.plugins.collect("fieldhub_register_http_views", hub=hub):
        table.add_collected(plugin, args, kwargs)
    return table


def build_app(
    hub: Hub,
    config: HttpConfig,
    auth: AuthManager,
    routes: RouteTable,
    static: StaticUI | None,
) -> web.Application:
    """The web application for ``hub``."""
    app = web.Application(
        client_max_size=config.max_body_size,
        middlewares=[
            cors_middleware(config.cors_allowed_origins),
            error_middleware,
            address_middleware(config.use_x_forwarded_for, config.trusted_proxies),
        ],
    )
    app[HUB] = hub
    app[AUTH] = auth
    app[ROUTES] = routes
    app[STATE_JSON] = StateJsonCache()
    app[LOGIN_LIMITER] = LoginLimiter(
        hub.clock, config.login_attempts_threshold, config.login_lockout
    )
    app[REQUEST_LIMITER] = RequestLimiter(hub.clock, config.unauthenticated_requests_per_minute)
    commands = ws_commands(hub)
    register_builtin_commands(hub, commands)
    websockets = WebSocketHub(
        hub,
        commands,
        max_pending=config.websocket_send_queue,
        max_msg_size=config.max_body_size,
    )
    app[WEBSOCKETS] = websockets
    app.router.add_get(WEBSOCKET_PATH, websockets.handle)
    for spec in routes.routes():
        app.router.add_route(spec.method, spec.path, guarded(spec))
    if static is not None:
        app.router.add_get("/{tail:.*}", static.handle)
    return app
