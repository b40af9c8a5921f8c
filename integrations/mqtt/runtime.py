"""The running MQTT integration: connections, routing and the objects entities talk to."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path

from hub.api import Hub, HubKey

from .client import ControlClient
from .connection import ConnectionSettings, OutgoingMessage
from .intake_base import IntakeBase
from .models import MessageHandler
from .router import TopicRouter
from .stats import IntakeStats


@dataclass(slots=True)
class MqttRuntime:
    """What :func:`fieldhub_setup` builds; reachable as ``hub.data[MQTT_RUNTIME]``."""

    hub: Hub
    settings: ConnectionSettings
    intake: IntakeBase
    control: ControlClient
    router: TopicRouter
    stats: IntakeStats
    config_dir: Path
    discovery_prefix: str | None = None
    stack: AsyncExitStack = field(default_factory=AsyncExitStack)

    def subscribe(
        self, topic_filter: str, handler: MessageHandler, qos: int = 1, *, shared: bool = False
    ) -> Callable[[], None]:
        """Route ``topic_filter`` to ``handler`` and hold the broker subscription.

        Return one callable that undoes both. ``shared`` marks intake subscriptions that
        may be split between hubs (``shared_subscription_group``).
        """
        remove_route = self.router.add(topic_filter, handler)
        release = self.intake.subscribe(topic_filter, qos, shared=shared)

        def unsubscribe() -> None:
            remove_route()
            release()

        return unsubscribe

    async def publish(
        self, topic: str, payload: str | bytes, qos: int = 0, retain: bool = False
    ) -> None:
        """Publish through the control connection."""
        await self.control.publish(OutgoingMessage(topic, payload, qos, retain))


MQTT_RUNTIME: HubKey[MqttRuntime] = HubKey("mqtt.runtime")
