"""The ``http:`` core component: starts the web server with the hub and stops it with it."""

from __future__ import annotations

from typing import Final

from hub.core.hub import Hub
from hub.core.keys import HubKey
from hub.http.config import CONFIG_SCHEMA, HttpConfig
from hub.http.passwords import DEFAULT_ROUNDS, PasswordHasher
from hub.http.server import HttpServer

__all__ = ["CONFIG_SCHEMA", "HTTP_SERVER", "async_setup", "start_http"]

HTTP_SERVER: Final = HubKey[HttpServer]("http.server")


async def start_http(
    hub: Hub, config: HttpConfig, *, password_rounds: int = DEFAULT_ROUNDS
) -> HttpServer:
    """Start the server as a part of ``hub`` (stopped at ``hub.stop()``) and return it."""
    server = await hub.enter(HttpServer(hub, config, PasswordHasher(password_rounds)))
    hub.data[HTTP_SERVER] = server
    return server


async def async_setup(hub: Hub, config: HttpConfig) -> None:
    """Set up the component from its validated section."""
    await start_http(hub, config)
