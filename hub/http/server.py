"""The HTTP server as a long-lived part: ``async with HttpServer(...)`` listens, exit stops."""

from __future__ import annotations

import logging
import ssl
from types import TracebackType
from typing import Final

from aiohttp import web

from hub.core.hub import Hub
from hub.core.metrics import hub_metrics
from hub.http.application import build_app, collect_routes, import_view_modules
from hub.http.auth import AuthManager
from hub.http.config import HttpConfig
from hub.http.passwords import PasswordHasher
from hub.http.static import STATIC_DIR, static_ui_if_present
from hub.http.tables import ensure_tables
from hub.http.websocket.server import WEBSOCKETS, WebSocketHub

_LOGGER = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT: Final = 10.0


def _ssl_context(certificate: str, key: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    return context


class HttpServer:
    """Serves the REST API, the WebSocket API and the UI for one hub."""

    def __init__(self, hub: Hub, config: HttpConfig, hasher: PasswordHasher) -> None:
        self.hub = hub
        self.config = config
        self.auth = AuthManager(
            hub.db, hub.clock, hasher, access_lifetime=config.access_token_lifetime
        )
        self._runner: web.AppRunner | None = None
        self._websockets: WebSocketHub | None = None
        self.ports: list[int] = []

    @property
    def runner(self) -> web.AppRunner:
        """The running app runner."""
        if self._runner is None:
            raise RuntimeError("the HTTP server is not running")
        return self._runner

    async def __aenter__(self) -> HttpServer:
        hub, config = self.hub, self.config
        await hub.run_in_executor(ensure_tables, hub.db.engine)
        view_modules = await hub.run_in_executor(import_view_modules)
        static = await hub.run_in_executor(static_ui_if_present, STATIC_DIR)
        ssl_context = None
        if config.ssl_certificate and config.ssl_key:
            ssl_context = await hub.run_in_executor(
                _ssl_context, config.ssl_certificate, config.ssl_key
            )
        app = build_app(hub, config, self.auth, collect_routes(hub, view_modules), static)
        self._websockets = app[WEBSOCKETS]
        self._register_metrics(self._websockets)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await runner.setup()
        self._runner = runner
        try:
            for host in config.server_host:
                site = web.TCPSite(
                    runner,
                    host,
                    config.server_port,
                    ssl_context=ssl_context,
                    reuse_address=True,
                )
                await site.start()
        except BaseException:
            await runner.cleanup()
            self._runner = None
            raise
        self.ports = sorted({addr[1] for addr in runner.addresses if isinstance(addr, tuple)})
        scheme = "https" if ssl_context else "http"
        _LOGGER.info(
            "HTTP API listening on %s://%s:%d",
            scheme,
            ",".join(config.server_host),
            config.server_port,
        )
        if await self.auth.user_count() == 0:
            _LOGGER.warning(
                "No users exist yet. Create the first administrator with: "
                "hub user add NAME --role admin -c %s",
                hub.config_dir,
            )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._websockets is not None:
            await self._websockets.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _register_metrics(self, websockets: WebSocketHub) -> None:
        metrics = hub_metrics(self.hub)
        metrics.gauge(
            "fieldhub_websocket_clients",
            "Connected WebSocket clients",
            lambda: float(len(websockets.connections)),
        )
        metrics.gauge(
            "fieldhub_websocket_queued_messages",
            "Messages waiting in WebSocket send queues",
            lambda: float(websockets.queued_messages),
        )
        metrics.observed_counter(
            "fieldhub_websocket_slow_disconnects_total",
            "WebSocket clients disconnected for not keeping up",
            lambda: float(websockets.disconnected_slow),
        )
