"""The built-in platforms, registered through the same hook as anyone else's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from hub.api import Hub

from .model import Sender
from .platforms import (
    email,
    gotify,
    http_generic,
    ntfy,
    persistent,
    pushover,
    sms_twilio,
    telegram,
    webhook,
)

BUILTIN_FACTORIES: Final[dict[str, Callable[[Hub, Mapping[str, Any]], Sender]]] = {
    "email": email.factory,
    "webhook": webhook.factory,
    "sms_twilio": sms_twilio.factory,
    "http": http_generic.factory,
    "ntfy": ntfy.factory,
    "gotify": gotify.factory,
    "pushover": pushover.factory,
    "telegram": telegram.factory,
    "persistent": persistent.factory,
}
"""Factory per built-in platform name (options schemas are in :mod:`.schema`)."""
