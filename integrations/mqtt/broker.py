"""The built-in broker (amqtt), started when no external broker is configured."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from amqtt.broker import Broker

_LOGGER = logging.getLogger(__name__)


def broker_config(host: str, port: int) -> dict[str, Any]:
    """amqtt configuration: one TCP listener, anonymous clients allowed."""
    return {
        "listeners": {"default": {"type": "tcp", "bind": f"{host}:{port}"}},
        "plugins": {
            "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True},
        },
    }


@asynccontextmanager
async def builtin_broker(host: str, port: int) -> AsyncIterator[Broker]:
    """Run an amqtt broker on ``host:port`` for the duration of the context."""
    broker = Broker(broker_config(host, port))
    await broker.start()
    _LOGGER.info("Built-in MQTT broker listening on %s:%s", host, port)
    try:
        yield broker
    finally:
        await broker.shutdown()
