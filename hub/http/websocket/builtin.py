"""The built-in WebSocket commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import voluptuous as vol

from hub.config import cv
from hub.core.bus import Event
from hub.core.context import Context
from hub.core.events import MATCH_ALL
from hub.http.guard import require_role
from hub.http.keys import STATE_JSON
from hub.http.roles import Role
from hub.http.views.root import describe_config
from hub.http.views.services import call_service, describe_services, service_role
from hub.http.websocket.commands import CommandRegistry, WsError
from hub.http.websocket.messages import event_message
from hub.http.websocket.server import WEBSOCKETS

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.http.websocket.connection import Connection

PONG = b'{"id":%d,"type":"pong"}'


def register_builtin_commands(hub: Hub, registry: CommandRegistry) -> None:
    """Register ping, get_states, get_services, get_config, call_service and subscriptions."""

    async def ping(conn: Connection, msg: dict[str, Any]) -> None:
        conn.send(PONG % msg["id"])

    async def get_states(conn: Connection, msg: dict[str, Any]) -> None:
        conn.send_raw_result(msg["id"], conn.app[STATE_JSON].encode_list(hub.states.all()))

    async def get_services(conn: Connection, msg: dict[str, Any]) -> None:
        conn.send_result(msg["id"], describe_services(hub.services))

    async def get_config(conn: Connection, msg: dict[str, Any]) -> None:
        conn.send_result(msg["id"], describe_config(hub))

    async def call(conn: Connection, msg: dict[str, Any]) -> None:
        require_role(conn.user, service_role(msg["domain"]))
        context = Context(user_id=conn.user.id, origin="websocket")
        _changed, response = await call_service(
            hub,
            msg["domain"],
            msg["service"],
            msg["service_data"],
            context,
            return_response=msg["return_response"],
        )
        conn.send_result(msg["id"], {"context": context.as_dict(), "response": response})

    async def subscribe_events(conn: Connection, msg: dict[str, Any]) -> None:
        msg_id: int = msg["id"]
        encoder = conn.app[WEBSOCKETS].encoder
        send = conn.send

        def forward(event: Event) -> None:
            send(event_message(msg_id, encoder.encode(event)))

        conn.subscriptions[msg_id] = hub.bus.listen(msg["event_type"], forward)
        conn.send_result(msg_id)

    async def subscribe_entities(conn: Connection, msg: dict[str, Any]) -> None:
        msg_id: int = msg["id"]
        conn.send_result(msg_id)
        stream = conn.app[WEBSOCKETS].entities
        conn.subscriptions[msg_id] = stream.subscribe(
            msg_id, conn.send, msg.get("entity_ids"), hub.states.all()
        )

    async def unsubscribe(conn: Connection, msg: dict[str, Any]) -> None:
        unsub = conn.subscriptions.pop(msg["subscription"], None)
        if unsub is None:
            raise WsError("not_found", f"no subscription {msg['subscription']}")
        unsub()
        conn.send_result(msg["id"])

    registry.register("ping", ping)
    registry.register("get_states", get_states)
    registry.register("get_services", get_services)
    registry.register("get_config", get_config)
    registry.register(
        "call_service",
        call,
        {
            vol.Required("domain"): vol.All(str, vol.Length(min=1, max=64)),
            vol.Required("service"): vol.All(str, vol.Length(min=1, max=64)),
            vol.Optional("service_data", default=dict): dict,
            vol.Optional("return_response", default=False): bool,
        },
        role=Role.OPERATOR,
    )
    registry.register(
        "subscribe_events",
        subscribe_events,
        {vol.Optional("event_type", default=MATCH_ALL): vol.All(str, vol.Length(min=1, max=64))},
    )
    registry.register(
        "subscribe_entities",
        subscribe_entities,
        {vol.Optional("entity_ids"): vol.All(cv.ensure_list, [cv.entity_id])},
    )
    for name in ("unsubscribe_events", "unsubscribe"):
        registry.register(name, unsubscribe, {vol.Required("subscription"): int})
