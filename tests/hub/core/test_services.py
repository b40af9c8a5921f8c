"""ServiceRegistry: registration, validation, responses, events."""

from __future__ import annotations

import pytest
import voluptuous as vol

from hub.core.bus import Event
from hub.core.errors import ServiceNotFound, ServiceValidationError
from hub.core.hub import Hub
from hub.core.services import ServiceCall


async def test_call_validates_and_runs(hub: Hub) -> None:
    calls: list[ServiceCall] = []
    hub.services.register(
        "pump", "start", calls.append, vol.Schema({vol.Required("speed"): vol.Coerce(int)})
    )
    fired: list[Event] = []
    hub.bus.listen("service_called", fired.append)
    await hub.services.call("pump", "start", {"speed": "3"})
    assert calls[0].data == {"speed": 3}
    assert fired[0].data["service"] == "start"


async def test_bad_data_has_clear_message(hub: Hub) -> None:
    hub.services.register(
        "pump", "start", lambda call: None, vol.Schema({vol.Required("speed"): int})
    )
    with pytest.raises(ServiceValidationError, match=r"invalid data for pump\.start: speed"):
        await hub.services.call("pump", "start", {"speed": "fast"})


async def test_unknown_service(hub: Hub) -> None:
    with pytest.raises(ServiceNotFound, match=r"pump\.stop not found"):
        await hub.services.call("pump", "stop")


async def test_response(hub: Hub) -> None:
    async def handler(call: ServiceCall) -> dict[str, int]:
        return {"level": 42}

    hub.services.register("tank", "read", handler, supports_response=True)
    assert await hub.services.call("tank", "read", return_response=True) == {"level": 42}
    hub.services.register("tank", "noop", handler)
    with pytest.raises(ServiceValidationError, match="does not return a response"):
        await hub.services.call("tank", "noop", return_response=True)


async def test_remove_domain(hub: Hub) -> None:
    hub.services.register("pump", "start", lambda c: None)
    assert hub.services.has("pump", "start")
    hub.services.remove_domain("pump")
    assert not hub.services.has("pump", "start")
