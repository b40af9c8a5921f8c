"""What a platform is handed to send, and how it says that sending failed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Notification:
    """One message for one target.

    ``id`` is the same for every attempt of one delivery (the idempotency key, sent as
    ``webhook-id`` by webhooks); ``attempt`` counts from 1.
    """

    id: str
    target: str
    title: str | None
    message: str
    data: Mapping[str, Any] = field(default_factory=dict)
    attempt: int = 1
    created: float = 0.0
    """When the delivery was queued (epoch seconds)."""


class Sender(Protocol):
    """What a platform factory returns."""

    async def send(self, notification: Notification) -> Any:
        """Send once; return anything (a status code is logged if it is an ``int``)."""


PlatformFactory = Callable[[Any, Mapping[str, Any]], Sender]
"""``factory(hub, options)`` builds a sender from a target's validated options."""


class DeliveryError(Exception):
    """Sending failed.

    ``status`` is the HTTP (or SMTP) status code when there was one; ``retry_after`` the
    seconds the server asked to wait; ``permanent`` marks failures that a retry cannot fix;
    ``disable`` stops the target altogether (a webhook answering 410 Gone).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        permanent: bool = False,
        disable: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.permanent = permanent or disable
        self.disable = disable
