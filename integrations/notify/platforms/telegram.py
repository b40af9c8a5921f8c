"""Telegram bot messages, obeying ``retry_after`` on 429 (flood control)."""

from __future__ import annotations

import html
import json
import time
from collections.abc import Mapping
from typing import Any

from hub.api import Hub

from ..model import DeliveryError, Notification
from ..policy import http_status_error
from .http_client import HTTP_SESSION
from .progress import Progress, split_text

MAX_TEXT = 4096


def retry_after(reply: Any) -> float | None:
    """``parameters.retry_after`` of a Bot API error reply."""
    if isinstance(reply, Mapping):
        parameters = reply.get("parameters")
        if isinstance(parameters, Mapping) and isinstance(
            parameters.get("retry_after"), int | float
        ):
            return float(parameters["retry_after"])
    return None


class TelegramSender:
    """Sends to every configured chat; chats already served are skipped on retries."""

    def __init__(self, hub: Hub, options: Mapping[str, Any]) -> None:
        self._hub = hub
        self._options = options
        self._progress = Progress()
        self._url = f"{options['api_url'].rstrip('/')}/bot{options['bot_token']}/sendMessage"

    def text(self, notification: Notification) -> str:
        """The message text (title in bold for HTML)."""
        title = notification.title
        if not title:
            return notification.message
        if self._options.get("parse_mode") == "HTML":
            return f"<b>{html.escape(title)}</b>\n{notification.message}"
        return f"{title}\n{notification.message}"

    async def send(self, notification: Notification) -> int:
        """Send to each chat, in parts of at most 4096 characters."""
        session = self._hub.data[HTTP_SESSION]
        parts = split_text(self.text(notification), MAX_TEXT)
        status = 0
        for chat_id in self._options["chat_ids"]:
            for index, part in enumerate(parts):
                key = f"{chat_id}#{index}"
                if self._progress.done(notification.id, key):
                    continue
                payload: dict[str, Any] = {
                    "chat_id": chat_id,
                    "text": part,
                    "disable_notification": self._options["disable_notification"],
                }
                if "parse_mode" in self._options:
                    payload["parse_mode"] = self._options["parse_mode"]
                async with session.post(self._url, json=payload, allow_redirects=False) as resp:
                    body = await resp.read()
                    status = resp.status
                    headers = dict(resp.headers)
                reply = _json(body)
                error = http_status_error(status, "", headers, time.time())
                if error is not None:
                    description = reply.get("description", "") if isinstance(reply, dict) else ""
                    raise DeliveryError(
                        f"Telegram {status}: {description}".strip(),
                        status=status,
                        retry_after=retry_after(reply) or error.retry_after,
                        permanent=error.permanent,
                    )
                self._progress.mark(notification.id, key)
        self._progress.finish(notification.id)
        return status


def _json(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except ValueError:
        return None


def factory(hub: Hub, options: Mapping[str, Any]) -> TelegramSender:
    """Build a Telegram sender."""
    return TelegramSender(hub, options)
