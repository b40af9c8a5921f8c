"""The ``mqtt`` automation trigger: fire on messages matching a topic (and payload)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any

from hub.api import Hub

from . import const as c
from .models import ReceivedMessage
from .runtime import MQTT_RUNTIME
from .schema import TRIGGER_SCHEMA
from .templates import TemplateError, template_or_none

Fire = Callable[[dict[str, Any]], Any]


def attach_trigger(hub: Hub, config: Mapping[str, Any], fire: Fire) -> Callable[[], None]:
    """Start watching ``config[topic]``; return the callable that stops it.

    With ``payload``, only messages whose payload (through ``value_template`` when given)
    equals it fire. Variables: ``trigger.platform``, ``topic``, ``payload``,
    ``payload_json`` (when JSON), ``qos``, ``retain``.
    """
    runtime = hub.data.get(MQTT_RUNTIME)
    if runtime is None:
        raise RuntimeError("the mqtt integration is not set up")
    wanted = config.get(c.CONF_PAYLOAD)
    template = template_or_none(config.get(c.CONF_VALUE_TEMPLATE))

    def handle(message: ReceivedMessage) -> None:
        if wanted is not None:
            try:
                value = template.render(message) if template else message.text
            except TemplateError:
                return
            if value != wanted:
                return
        variables: dict[str, Any] = {
            "platform": "mqtt",
            "topic": message.topic,
            "payload": message.text,
            "qos": message.qos,
            "retain": message.retain,
        }
        with contextlib.suppress(ValueError):
            variables["payload_json"] = message.json
        fire({"trigger": variables})

    return runtime.subscribe(config[c.CONF_TOPIC], handle, config[c.CONF_QOS])


def register_triggers(register: Callable[..., None]) -> None:
    """Register the ``mqtt`` trigger platform."""
    register(platform="mqtt", schema=TRIGGER_SCHEMA, attach=attach_trigger)
