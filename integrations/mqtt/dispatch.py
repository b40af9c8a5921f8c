"""Messages on topics in other integrations' manifests (``mqtt``) go to their
``fieldhub_mqtt_discovered`` hook, in order, one integration at a time."""

from __future__ import annotations

from collections.abc import Callable

from hub.api import MqttDiscoveryMessage

from . import const as c
from .models import ReceivedMessage
from .runtime import MqttRuntime
from .worker import OrderedWorker


def start_dispatch(runtime: MqttRuntime) -> list[Callable[[], None]]:
    """Subscribe to every manifest topic of the installed integrations; return undoers."""
    hub = runtime.hub
    undo: list[Callable[[], None]] = []
    for name, manifest in hub.plugins.manifests().items():
        if name == c.DOMAIN or not manifest.mqtt:
            continue
        worker = OrderedWorker(hub, f"mqtt-dispatch:{name}")
        undo.append(worker.stop)
        for topic_filter in manifest.mqtt:
            undo.append(
                runtime.subscribe(topic_filter, _handler(runtime, worker, name, topic_filter), 1)
            )
    return undo


def _handler(
    runtime: MqttRuntime, worker: OrderedWorker, name: str, topic_filter: str
) -> Callable[[ReceivedMessage], None]:
    def handle(message: ReceivedMessage) -> None:
        found = MqttDiscoveryMessage(
            topic=message.topic,
            payload=message.payload,
            retain=message.retain,
            subscribed_topic=topic_filter,
        )

        async def deliver() -> None:
            await runtime.hub.plugins.acall(
                name, "fieldhub_mqtt_discovered", hub=runtime.hub, message=found
            )

        worker.submit(deliver)

    return handle
