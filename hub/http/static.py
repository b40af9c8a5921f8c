"""The web UI's built files from ``hub/http/static``, with a fallback to ``index.html``.

Hashed assets (``app.3f9c2a1b.js`` or anything under ``assets/``) are cached for a year;
``index.html`` and other files are revalidated on every load, so a new UI shows at once.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Final

from aiohttp import web

from hub.http.errors import ApiError

STATIC_DIR: Final = Path(__file__).parent / "static"
_HASHED_RE: Final = re.compile(r"[.-][0-9a-fA-F]{8,}\.[A-Za-z0-9]+$")
IMMUTABLE: Final = "public, max-age=31536000, immutable"
NO_CACHE: Final = "no-cache"


class StaticUI:
    """Serves files under ``root``; client-side routes get ``index.html``."""

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    def _resolve(self, tail: str) -> Path | None:
        candidate = (self._root / tail).resolve()
        if candidate != self._root and self._root not in candidate.parents:
            return None
        if candidate.is_file():
            return candidate
        if "." in tail.rsplit("/", 1)[-1]:
            return None
        index = self._root / "index.html"
        return index if index.is_file() else None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve one file (or ``index.html`` for a client route)."""
        tail = request.match_info.get("tail", "")
        if tail == "api" or tail.startswith("api/"):
            raise ApiError(404, "not_found", f"no route {request.path}")
        path = await asyncio.get_running_loop().run_in_executor(None, self._resolve, tail)
        if path is None:
            raise ApiError(404, "not_found", f"no file {request.path}")
        relative = path.relative_to(self._root).as_posix()
        hashed = relative.startswith("assets/") or bool(_HASHED_RE.search(relative))
        return web.FileResponse(path, headers={"Cache-Control": IMMUTABLE if hashed else NO_CACHE})


def static_ui_if_present(root: Path = STATIC_DIR) -> StaticUI | None:
    """A :class:`StaticUI` for ``root`` if the directory exists (blocking: run in executor)."""
    return StaticUI(root) if root.is_dir() else None
