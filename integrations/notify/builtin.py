"""The built-in platforms, registered through the same hook as anyone else's."""

from __future__ import annotations

from typing import Final

from .model import PlatformFactory
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

BUILTIN_FACTORIES: Final[dict[str, PlatformFactory]] = {
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
