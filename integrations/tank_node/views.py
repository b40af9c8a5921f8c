"""REST and WebSocket routes of the tank node integration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import voluptuous as vol
from aiohttp import web

from hub.api import Hub, zeroconf_scan

from .const import CONF_HUB_URL, PATH_DISCOVERED, PATH_PAIR, PATH_SCAN, SCAN_SECONDS
from .pairing import PairingError, PairingTarget, pair_node
from .protocol import SERVICE_TYPE, WS_PATH
from .runtime import RUNTIME, TankNodeRuntime
from .schema import PAIR_SCHEMA

MAX_SCAN_SECONDS = 10.0
Handler = Callable[[web.Request], Any]


def _error(status: int, code: str, detail: str) -> web.Response:
    return web.json_response({"error": code, "detail": detail}, status=status)


def hub_url_for(request: web.Request, configured: str | None) -> str:
    """The URL nodes should connect to: configured, else the address the operator used."""
    if configured:
        return configured
    scheme = "wss" if request.secure else "ws"
    return f"{scheme}://{request.host}{WS_PATH}"


def _nodes(runtime: TankNodeRuntime, hub: Hub) -> list[dict[str, Any]]:
    registry = hub.device_registry
    return [
        node.as_dict(
            known_device=node.device_id is not None and registry.get(node.device_id) is not None
        )
        for node in runtime.discovered.nodes()
    ]


class TankNodeViews:
    """Route handlers bound to one hub."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub

    def _runtime(self) -> TankNodeRuntime:
        runtime = self._hub.data.get(RUNTIME)
        if runtime is None:
            raise web.HTTPServiceUnavailable(
                text='{"error":"not_set_up","detail":"tank_node is not set up"}',
                content_type="application/json",
            )
        return runtime

    async def scan(self, request: web.Request) -> web.Response:
        """Browse mDNS for a few seconds; answer with every node known afterwards."""
        runtime = self._runtime()
        seconds = SCAN_SECONDS
        if request.can_read_body:
            try:
                body = await request.json()
                seconds = float(body.get("seconds", SCAN_SECONDS))
            except (ValueError, TypeError, AttributeError):
                return _error(400, "bad_request", 'expected {"seconds": <number>}')
        seconds = min(max(seconds, 0.5), MAX_SCAN_SECONDS)
        for discovery in await zeroconf_scan(self._hub, [SERVICE_TYPE], seconds):
            runtime.discovered.handle(discovery)
        return web.json_response({"nodes": _nodes(runtime, self._hub)})

    async def discovered(self, request: web.Request) -> web.Response:
        """Nodes currently advertising, with their pairing status."""
        return web.json_response({"nodes": _nodes(self._runtime(), self._hub)})

    async def pair(self, request: web.Request) -> web.Response:
        """Pair the node at ``host:port``: device row, secret, ``POST /pair`` on the node."""
        runtime = self._runtime()
        try:
            body = PAIR_SCHEMA(await request.json())
        except ValueError:
            return _error(400, "bad_request", "the body must be a JSON object")
        except vol.Invalid as err:
            path = " → ".join(str(p) for p in err.path)
            return _error(400, "invalid", f"{path}: {err.msg}" if path else err.msg)
        configured = body.get(CONF_HUB_URL) or runtime.config.get(CONF_HUB_URL)
        target = PairingTarget(
            host=body["host"],
            port=body["port"],
            mac=body["mac"],
            name=body["name"],
            tank=body["tank"],
            hub_url=hub_url_for(request, configured),
        )
        try:
            device = await pair_node(self._hub, target, session=runtime.client)
        except PairingError as err:
            return _error(err.status, err.code, str(err))
        tank = await runtime.sessions.add_device(device)
        entities = [] if tank is None else [e.entity_id for e in tank.entities()]
        return web.json_response({"device_id": device.id, "entities": entities}, status=201)

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        """The node session (devices authenticate with their first frame)."""
        return await self._runtime().sessions.handle(request)


_OPENAPI_PAIR: dict[str, Any] = {
    "summary": "Pair a discovered tank node",
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["host", "mac", "name", "tank"],
                    "properties": {
                        "host": {"type": "string"},
                        "port": {"type": "integer", "default": 80},
                        "mac": {"type": "string"},
                        "name": {"type": "string"},
                        "tank": {"type": "object"},
                        "hub_url": {"type": "string"},
                    },
                }
            }
        }
    },
    "responses": {
        "201": {"description": "Paired: device id and entity ids"},
        "400": {"description": "Invalid body or impossible tank geometry"},
        "409": {"description": "MAC already paired (here or on the node)"},
        "502": {"description": "The node could not be reached or refused"},
    },
}


def register_views(hub: Hub, register: Callable[..., None]) -> None:
    """Register the integration's routes with the hub's HTTP server."""
    views = TankNodeViews(hub)
    register(
        "POST",
        PATH_SCAN,
        views.scan,
        role="operator",
        openapi={"summary": "Scan the network (mDNS) for tank nodes for a few seconds"},
    )
    register(
        "GET",
        PATH_DISCOVERED,
        views.discovered,
        role="viewer",
        openapi={"summary": "Tank nodes advertising on the network"},
    )
    register("POST", PATH_PAIR, views.pair, role="operator", openapi=_OPENAPI_PAIR)
    register(
        "GET",
        WS_PATH,
        views.websocket,
        role="device",
        openapi={"summary": "WebSocket session of a paired tank node"},
    )
