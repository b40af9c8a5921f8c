"""Fake servers and config helpers shared by the notify tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

import integrations.notify as notify_module
from hub.config.loader import load_configuration
from integrations.notify.schema import CONFIG_SCHEMA

MANIFEST = json.loads(
    (Path(notify_module.__file__).parent / "manifest.json").read_text(encoding="utf-8")
)


def load_notify_config(config_dir: Path, yaml_text: str, secrets: str = "") -> Any:
    """Write the files and validate the ``notify`` section as the hub does at start."""
    (config_dir / "configuration.yaml").write_text(yaml_text, encoding="utf-8")
    if secrets:
        (config_dir / "secrets.yaml").write_text(secrets, encoding="utf-8")
    return load_configuration(config_dir, {"notify": CONFIG_SCHEMA}).sections["notify"]


@dataclass
class Reply:
    """What the fake server answers to one request."""

    status: int = 200
    json: Any = None
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    """One request the fake server received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode()))

    def json(self) -> Any:
        return json.loads(self.body)


class FakeServer:
    """An HTTP server on a free port that records requests and replies as scripted.

    ``script(path_prefix, *replies)`` queues replies for matching paths; when a queue is
    empty the ``default`` reply (200, JSON ``{}``) is used.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.requests: list[Seen] = []
        self._scripts: list[tuple[str, list[Reply]]] = []
        self.default = Reply(json={})
        self.handler: Callable[[Seen], Reply | None] | None = None
        self._runner: web.AppRunner | None = None

    def script(self, prefix: str, *replies: Reply) -> None:
        self._scripts.append((prefix, list(replies)))

    def seen(self, prefix: str = "") -> list[Seen]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        seen = Seen(
            request.method,
            request.path,
            dict(request.query),
            dict(request.headers),
            await request.read(),
        )
        self.requests.append(seen)
        reply = self.handler(seen) if self.handler else None
        if reply is None:
            reply = self.default
            for prefix, replies in self._scripts:
                if seen.path.startswith(prefix) and replies:
                    reply = replies.pop(0)
                    break
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.json is not None:
            return web.json_response(reply.json, status=reply.status, headers=reply.headers)
        return web.Response(text=reply.body, status=reply.status, headers=reply.headers)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
