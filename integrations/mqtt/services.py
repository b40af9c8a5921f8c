"""Services ``mqtt.publish`` and ``mqtt.dump``."""

from __future__ import annotations

import asyncio
from typing import Any

from hub.api import ServiceCall, ServiceValidationError

from . import const as c
from .models import ReceivedMessage
from .runtime import MqttRuntime
from .schema import DUMP_SCHEMA, PUBLISH_SCHEMA
from .templates import TemplateError, ValueTemplate


def register_services(runtime: MqttRuntime) -> None:
    """Register the MQTT services on the hub."""

    async def publish(call: ServiceCall) -> None:
        data = call.data
        payload: str = data.get(c.CONF_PAYLOAD, "")
        if c.CONF_PAYLOAD_TEMPLATE in data:
            try:
                payload = ValueTemplate(data[c.CONF_PAYLOAD_TEMPLATE]).render_with({})
            except TemplateError as err:
                raise ServiceValidationError(str(err)) from err
        await runtime.publish(data[c.CONF_TOPIC], payload, data[c.CONF_QOS], data[c.CONF_RETAIN])

    async def dump(call: ServiceCall) -> dict[str, Any]:
        collected: list[dict[str, Any]] = []

        def collect(message: ReceivedMessage) -> None:
            collected.append(message.as_dict())

        unsubscribe = runtime.subscribe(call.data[c.CONF_TOPIC], collect, 0)
        try:
            await asyncio.sleep(call.data[c.CONF_DURATION])
        finally:
            unsubscribe()
        return {"messages": collected}

    runtime.hub.services.register(
        c.DOMAIN,
        "publish",
        publish,
        PUBLISH_SCHEMA,
        description="Publish a message to an MQTT topic",
        fields={
            "topic": "Topic to publish to",
            "payload": "Payload text",
            "payload_template": "Template rendered into the payload",
            "qos": "Quality of service (0, 1 or 2)",
            "retain": "Ask the broker to retain the message",
        },
    )
    runtime.hub.services.register(
        c.DOMAIN,
        "dump",
        dump,
        DUMP_SCHEMA,
        description="Collect the messages on a topic for a number of seconds",
        fields={"topic": "Topic filter (wildcards allowed)", "duration": "Seconds to listen"},
        supports_response=True,
    )
