"""Webhooks signed per the Standard Webhooks specification (and optionally GitHub-style).

Headers: ``webhook-id`` (the delivery id, the same on every retry), ``webhook-timestamp``
(Unix seconds of this attempt) and ``webhook-signature``: ``v1,<base64 HMAC-SHA256>`` of
``{id}.{timestamp}.{body}`` for every configured secret, space-separated, so that secrets can
be rotated. ``X-Hub-Signature-256: sha256=<hex HMAC of body>`` is added when a GitHub secret
is configured.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from typing import Any

from hub.api import Hub

from ..model import Notification
from .http_client import HTTP_SESSION, request

SECRET_PREFIX = "whsec_"


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret (the base64-decoded part after the prefix)."""
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value: one ``v1,`` signature per secret."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    signatures = []
    for secret in secrets:
        digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
        signatures.append("v1," + base64.b64encode(digest).decode())
    return " ".join(signatures)


def github_signature(secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` header value."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookSender:
    """POSTs a JSON payload ``{"type", "timestamp", "data"}`` to one URL."""

    def __init__(self, hub: Hub, options: Mapping[str, Any]) -> None:
        self._hub = hub
        self._options = options

    def payload(self, notification: Notification) -> bytes:
        """The request body (identical on every attempt of one delivery)."""
        created = dt.datetime.fromtimestamp(notification.created, dt.UTC)
        body = {
            "type": self._options["event_type"],
            "timestamp": created.isoformat().replace("+00:00", "Z"),
            "data": {
                "id": notification.id,
                "target": notification.target,
                "title": notification.title,
                "message": notification.message,
                "data": dict(notification.data),
            },
        }
        return json.dumps(body, separators=(",", ":"), default=str).encode()

    async def send(self, notification: Notification) -> int:
        """Send one signed request."""
        body = self.payload(notification)
        timestamp = int(self._hub.clock.time())
        headers = {**self._options["headers"], "Content-Type": "application/json"}
        headers["webhook-id"] = notification.id
        headers["webhook-timestamp"] = str(timestamp)
        secrets = self._options["secret"]
        if secrets:
            headers["webhook-signature"] = sign(secrets, notification.id, timestamp, body)
        github = self._options.get("github_secret")
        if github:
            headers["X-Hub-Signature-256"] = github_signature(github, body)
        session = self._hub.data[HTTP_SESSION]
        response = await request(session, "POST", self._options["url"], data=body, headers=headers)
        return response.status


def factory(hub: Hub, options: Mapping[str, Any]) -> WebhookSender:
    """Build a webhook sender."""
    return WebhookSender(hub, options)
