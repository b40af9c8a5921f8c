"""The ``alert.*`` services: Home Assistant's turn_on/turn_off/toggle plus alarm management.

Each service targets alerts by entity id (``alert.<id>``). Refused transitions and shelve
requests raise :class:`~hub.core.errors.ServiceValidationError` with the model's message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol

from hub.alerts.model import IllegalTransition
from hub.alerts.runtime import AlertRuntime
from hub.alerts.schema import DOMAIN
from hub.alerts.shelving import ShelveError
from hub.config import cv
from hub.core.context import Context
from hub.core.errors import ServiceValidationError
from hub.core.services import ServiceCall

if TYPE_CHECKING:
    from hub.alerts.manager import AlertManager
    from hub.core.hub import Hub

Action = Callable[[AlertRuntime, ServiceCall], None]


def _seconds(value: Any) -> float:
    seconds = cv.positive_time_period(value).total_seconds()
    if seconds <= 0:
        raise vol.Invalid("the shelve duration must be longer than zero")
    return seconds


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise vol.Invalid(f"expected a number or text, got {cv.describe(value)}")


TARGET: Final = {vol.Required("entity_id"): cv.entity_ids}
SHELVE_FIELDS: Final = {
    vol.Required("reason"): cv.string,
    vol.Optional("duration"): _seconds,
}
SERVICE_FIELDS: Final[dict[str, dict[Any, Any]]] = {
    "acknowledge": {},
    "turn_off": {},
    "turn_on": {},
    "toggle": {},
    "shelve": SHELVE_FIELDS,
    "unshelve": {},
    "reset": {},
    "raise": {vol.Optional("value"): _scalar, vol.Optional("reason"): cv.string},
    "clear": {vol.Optional("value"): _scalar, vol.Optional("reason"): cv.string},
    "set_out_of_service": {
        vol.Optional("out_of_service", default=True): cv.boolean,
        vol.Optional("reason"): cv.string,
    },
}

_DESCRIPTIONS: Final = {
    "acknowledge": "Acknowledge alerts (ISA-18.2)",
    "turn_off": "Acknowledge alerts, as Home Assistant's alert.turn_off",
    "turn_on": "Withdraw the acknowledgement of firing alerts",
    "toggle": "Acknowledge, or withdraw the acknowledgement",
    "shelve": "Shelve alerts for a duration (or until they next clear) with a reason",
    "unshelve": "End a shelve early",
    "reset": "Reset latched alerts whose condition has returned to normal",
    "raise": "Raise manual alerts (alerts without entity_id and value_template)",
    "clear": "Clear manual alerts",
    "set_out_of_service": "Take alerts out of service, or return them",
}


_FIELD_DOCS: Final = {
    "entity_id": "the alert entities (alert.<id>)",
    "reason": "why; recorded in the audit trail",
    "duration": "seconds or HH:MM:SS; leave out for a one-shot shelve",
    "value": "the value recorded on the occurrence",
    "out_of_service": "true takes the alerts out of service, false returns them",
}


def _actions() -> dict[str, Action]:
    def shelve(rt: AlertRuntime, call: ServiceCall) -> None:
        rt.shelve(call.context, call.data["reason"], call.data.get("duration"))

    def out_of_service(rt: AlertRuntime, call: ServiceCall) -> None:
        rt.set_out_of_service(call.context, call.data["out_of_service"], call.data.get("reason"))

    def raise_(rt: AlertRuntime, call: ServiceCall) -> None:
        rt.raise_alert(call.context, call.data.get("value"), call.data.get("reason"))

    def clear(rt: AlertRuntime, call: ServiceCall) -> None:
        rt.clear_alert(call.context, call.data.get("value"), call.data.get("reason"))

    def simple(method: Callable[[AlertRuntime, Context], None]) -> Action:
        return lambda rt, call: method(rt, call.context)

    return {
        "acknowledge": simple(AlertRuntime.acknowledge),
        "turn_off": simple(AlertRuntime.turn_off),
        "turn_on": simple(AlertRuntime.turn_on),
        "toggle": simple(AlertRuntime.toggle),
        "shelve": shelve,
        "unshelve": simple(AlertRuntime.unshelve),
        "reset": simple(AlertRuntime.reset),
        "raise": raise_,
        "clear": clear,
        "set_out_of_service": out_of_service,
    }


def _targets(manager: AlertManager, entity_ids: list[str]) -> list[AlertRuntime]:
    found = []
    for entity_id in entity_ids:
        runtime = manager.by_entity_id(entity_id)
        if runtime is None:
            raise ServiceValidationError(f"{entity_id} is not a configured alert")
        found.append(runtime)
    return found


def run_action(runtime: AlertRuntime, action: Action, call: ServiceCall) -> None:
    """Run ``action`` on one alert; a refused transition becomes ServiceValidationError."""
    try:
        action(runtime, call)
    except (IllegalTransition, ShelveError) as err:
        raise ServiceValidationError(str(err)) from None


def register_services(hub: Hub, manager: AlertManager) -> None:
    """Register every ``alert.*`` service."""

    def handler(action: Action) -> Callable[[ServiceCall], None]:
        def handle(call: ServiceCall) -> None:
            for runtime in _targets(manager, call.data["entity_id"]):
                run_action(runtime, action, call)

        return handle

    for name, action in _actions().items():
        extra: Mapping[Any, Any] = SERVICE_FIELDS[name]
        hub.services.register(
            DOMAIN,
            name,
            handler(action),
            vol.Schema({**TARGET, **extra}),
            description=_DESCRIPTIONS[name],
            fields={key: _FIELD_DOCS[key] for key in ("entity_id", *map(str, extra))},
        )
