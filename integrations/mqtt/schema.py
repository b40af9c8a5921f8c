"""Every default and schema of the MQTT integration: YAML and discovery payloads alike.

One schema per platform validates both an ``mqtt: sensor: [...]`` list item and an expanded
discovery payload; discovery is validated with unknown keys dropped instead of refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import voluptuous as vol

from hub.api import cv

from . import const as c

DEFAULT_PORT = 1883
DEFAULT_CLIENT_ID = "fieldhub"
DEFAULT_KEEPALIVE = 60
DEFAULT_PREFIX = "homeassistant"
DEFAULT_SESSION_EXPIRY = 86_400
DEFAULT_QOS = 0
DEFAULT_RECEIVER = c.RECEIVER_STREAM
DEFAULT_INTAKE_QOS = 1
DEFAULT_BUILTIN_HOST = "0.0.0.0"
DEFAULT_BIRTH = {"topic": "homeassistant/status", "payload": "online", "qos": 0, "retain": False}
DEFAULT_WILL = {"topic": "homeassistant/status", "payload": "offline", "qos": 0, "retain": False}
DEFAULT_PAYLOAD_AVAILABLE = "online"
DEFAULT_PAYLOAD_NOT_AVAILABLE = "offline"
DEFAULT_PAYLOAD_ON = "ON"
DEFAULT_PAYLOAD_OFF = "OFF"
DEFAULT_PAYLOAD_PRESS = "PRESS"
DEFAULT_PAYLOAD_INSTALL = "install"
DEFAULT_DUMP_SECONDS = 5.0
MAX_DUMP_SECONDS = 300.0

SENSOR_STATE_CLASSES = ("measurement", "total", "total_increasing")
ENTITY_CATEGORIES = ("config", "diagnostic")
QOS = vol.All(vol.Coerce(int), vol.In((0, 1, 2)))

# Units each sensor device class is expected in; a mismatch is warned about, never refused.
DEVICE_CLASS_UNITS: dict[str, frozenset[str]] = {
    "power": frozenset({"W", "kW", "MW", "mW", "GW", "BTU/h"}),
    "energy": frozenset({"Wh", "kWh", "MWh", "GWh", "J", "kJ", "MJ", "GJ", "cal", "kcal"}),
    "temperature": frozenset({"°C", "°F", "K"}),
    "humidity": frozenset({"%"}),
    "battery": frozenset({"%"}),
    "voltage": frozenset({"V", "mV", "kV", "µV"}),
    "current": frozenset({"A", "mA"}),
    "pressure": frozenset({"Pa", "hPa", "kPa", "bar", "cbar", "mbar", "mmHg", "inHg", "psi"}),
    "illuminance": frozenset({"lx"}),
    "signal_strength": frozenset({"dB", "dBm"}),
    "frequency": frozenset({"Hz", "kHz", "MHz", "GHz"}),
}


def _topic(value: Any) -> str:
    text = cv.string(value)
    if not text or "\0" in text:
        raise vol.Invalid("an MQTT topic cannot be empty or contain a NUL character")
    return text


def valid_subscribe_topic(value: Any) -> str:
    """A topic filter: ``+`` fills a whole level, ``#`` only the last one."""
    text = _topic(value)
    levels = text.split("/")
    for i, level in enumerate(levels):
        if "#" in level and (level != "#" or i != len(levels) - 1):
            raise vol.Invalid(f"{text!r}: '#' must be a whole, final level")
        if "+" in level and level != "+":
            raise vol.Invalid(f"{text!r}: '+' must fill a whole level")
    return text


def valid_publish_topic(value: Any) -> str:
    """A topic to publish to: no wildcards."""
    text = _topic(value)
    if "+" in text or "#" in text:
        raise vol.Invalid(f"{text!r}: wildcards are not allowed when publishing")
    return text


def payload(value: Any) -> str:
    """A payload to compare with: text, or a number or boolean as templates render it."""
    if isinstance(value, bool | int | float):
        return str(value)
    return cv.string(value)


def _as_pair(value: Any) -> tuple[str, str]:
    return (value[0], value[1])


def _string_list(value: Any) -> list[str]:
    return [cv.string(v) for v in cv.ensure_list(value)]


MESSAGE_SCHEMA = vol.Schema(
    {
        vol.Required(c.CONF_TOPIC): valid_publish_topic,
        vol.Optional(c.CONF_PAYLOAD, default=""): cv.string,
        vol.Optional(c.CONF_QOS, default=DEFAULT_QOS): QOS,
        vol.Optional(c.CONF_RETAIN, default=False): cv.boolean,
    }
)

DEVICE_SCHEMA = vol.All(
    vol.Schema(
        {
            vol.Optional(c.CONF_IDENTIFIERS, default=list): _string_list,
            vol.Optional(c.CONF_CONNECTIONS, default=list): [
                vol.All(vol.ExactSequence([cv.string, cv.string]), _as_pair)
            ],
            vol.Optional(c.CONF_NAME): vol.Any(None, cv.string),
            vol.Optional(c.CONF_MANUFACTURER): cv.string,
            vol.Optional(c.CONF_MODEL): cv.string,
            vol.Optional(c.CONF_MODEL_ID): cv.string,
            vol.Optional(c.CONF_SW_VERSION): cv.string,
            vol.Optional(c.CONF_HW_VERSION): cv.string,
            vol.Optional(c.CONF_SERIAL_NUMBER): cv.string,
            vol.Optional(c.CONF_SUGGESTED_AREA): cv.string,
            vol.Optional(c.CONF_VIA_DEVICE): cv.string,
            vol.Optional(c.CONF_CONFIGURATION_URL): cv.string,
        },
        extra=vol.REMOVE_EXTRA,
    ),
    lambda d: (
        d
        if d[c.CONF_IDENTIFIERS] or d[c.CONF_CONNECTIONS]
        else _invalid("a device needs identifiers or connections")
    ),
)


def _invalid(message: str) -> Any:
    raise vol.Invalid(message)


AVAILABILITY_ITEM = vol.Schema(
    {
        vol.Required(c.CONF_TOPIC): valid_subscribe_topic,
        vol.Optional(c.CONF_PAYLOAD_AVAILABLE, default=DEFAULT_PAYLOAD_AVAILABLE): payload,
        vol.Optional(c.CONF_PAYLOAD_NOT_AVAILABLE, default=DEFAULT_PAYLOAD_NOT_AVAILABLE): payload,
        vol.Optional(c.CONF_VALUE_TEMPLATE): cv.string,
    },
    extra=vol.REMOVE_EXTRA,
)

COMMON = {
    vol.Optional(c.CONF_NAME): vol.Any(None, cv.string),
    vol.Optional(c.CONF_UNIQUE_ID): cv.string,
    vol.Optional(c.CONF_OBJECT_ID): cv.string,
    vol.Optional(c.CONF_ICON): cv.string,
    vol.Optional(c.CONF_ENTITY_CATEGORY): vol.Any(None, vol.In(ENTITY_CATEGORIES)),
    vol.Optional(c.CONF_DEVICE): DEVICE_SCHEMA,
    vol.Optional(c.CONF_QOS, default=DEFAULT_INTAKE_QOS): QOS,
    vol.Optional(c.CONF_ENCODING, default="utf-8"): cv.string,
    vol.Optional(c.CONF_AVAILABILITY): vol.All(cv.ensure_list, [AVAILABILITY_ITEM]),
    vol.Optional(c.CONF_AVAILABILITY_TOPIC): valid_subscribe_topic,
    vol.Optional(c.CONF_AVAILABILITY_TEMPLATE): cv.string,
    vol.Optional(c.CONF_AVAILABILITY_MODE, default=c.AVAILABILITY_LATEST): vol.In(
        (c.AVAILABILITY_ALL, c.AVAILABILITY_ANY, c.AVAILABILITY_LATEST)
    ),
    vol.Optional(c.CONF_PAYLOAD_AVAILABLE, default=DEFAULT_PAYLOAD_AVAILABLE): payload,
    vol.Optional(c.CONF_PAYLOAD_NOT_AVAILABLE, default=DEFAULT_PAYLOAD_NOT_AVAILABLE): payload,
    vol.Optional(c.CONF_JSON_ATTRS_TOPIC): valid_subscribe_topic,
    vol.Optional(c.CONF_JSON_ATTRS_TEMPLATE): cv.string,
    vol.Optional("enabled_by_default", default=True): cv.boolean,
}

STATE = {
    vol.Optional(c.CONF_STATE_TOPIC): valid_subscribe_topic,
    vol.Optional(c.CONF_VALUE_TEMPLATE): cv.string,
}

COMMAND = {
    vol.Optional(c.CONF_COMMAND_TOPIC): valid_publish_topic,
    vol.Optional(c.CONF_COMMAND_TEMPLATE): cv.string,
    vol.Optional(c.CONF_RETAIN, default=False): cv.boolean,
    vol.Optional(c.CONF_OPTIMISTIC): cv.boolean,
}


def _requires(key: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def check(config: dict[str, Any]) -> dict[str, Any]:
        if key not in config:
            raise vol.Invalid(f"required key '{key}' not provided", path=[key])
        return config

    return check


def _check_number_range(config: dict[str, Any]) -> dict[str, Any]:
    if config[c.CONF_MIN] >= config[c.CONF_MAX]:
        raise vol.Invalid("min must be below max", path=[c.CONF_MIN])
    return config


_PLATFORM_KEYS: dict[str, dict[Any, Any]] = {
    "sensor": {
        **COMMON,
        **STATE,
        vol.Optional(c.CONF_DEVICE_CLASS): vol.Any(None, cv.string),
        vol.Optional(c.CONF_STATE_CLASS): vol.Any(None, vol.In(SENSOR_STATE_CLASSES)),
        vol.Optional(c.CONF_UNIT): vol.Any(None, cv.string),
        vol.Optional(c.CONF_EXPIRE_AFTER): cv.positive_int,
        vol.Optional(c.CONF_FORCE_UPDATE, default=False): cv.boolean,
        vol.Optional("suggested_display_precision"): cv.positive_int,
    },
    "binary_sensor": {
        **COMMON,
        **STATE,
        vol.Optional(c.CONF_DEVICE_CLASS): vol.Any(None, cv.string),
        vol.Optional(c.CONF_PAYLOAD_ON, default=DEFAULT_PAYLOAD_ON): payload,
        vol.Optional(c.CONF_PAYLOAD_OFF, default=DEFAULT_PAYLOAD_OFF): payload,
        vol.Optional(c.CONF_EXPIRE_AFTER): cv.positive_int,
        vol.Optional(c.CONF_OFF_DELAY): cv.positive_int,
        vol.Optional(c.CONF_FORCE_UPDATE, default=False): cv.boolean,
    },
    "switch": {
        **COMMON,
        **STATE,
        **COMMAND,
        vol.Optional(c.CONF_DEVICE_CLASS): vol.Any(None, cv.string),
        vol.Optional(c.CONF_PAYLOAD_ON, default=DEFAULT_PAYLOAD_ON): payload,
        vol.Optional(c.CONF_PAYLOAD_OFF, default=DEFAULT_PAYLOAD_OFF): payload,
        vol.Optional(c.CONF_STATE_ON): payload,
        vol.Optional(c.CONF_STATE_OFF): payload,
    },
    "number": {
        **COMMON,
        **STATE,
        **COMMAND,
        vol.Optional(c.CONF_DEVICE_CLASS): vol.Any(None, cv.string),
        vol.Optional(c.CONF_UNIT): vol.Any(None, cv.string),
        vol.Optional(c.CONF_MIN, default=1.0): cv.number,
        vol.Optional(c.CONF_MAX, default=100.0): cv.number,
        vol.Optional(c.CONF_STEP, default=1.0): vol.All(cv.number, vol.Range(min=1e-9)),
        vol.Optional(c.CONF_MODE, default="auto"): vol.In(("auto", "box", "slider")),
    },
    "button": {
        **COMMON,
        **COMMAND,
        vol.Optional(c.CONF_DEVICE_CLASS): vol.Any(None, cv.string),
        vol.Optional(c.CONF_PAYLOAD_PRESS, default=DEFAULT_PAYLOAD_PRESS): payload,
    },
    "select": {
        **COMMON,
        **STATE,
        **COMMAND,
        vol.Required(c.CONF_OPTIONS): vol.All(_string_list, vol.Length(min=1)),
    },
    "text": {
        **COMMON,
        **STATE,
        **COMMAND,
        vol.Optional(c.CONF_MIN, default=0): cv.int_in_range(0, 255),
        vol.Optional(c.CONF_MAX, default=255): cv.int_in_range(0, 255),
        vol.Optional(c.CONF_MODE, default="text"): vol.In(("text", "password")),
        vol.Optional(c.CONF_PATTERN): cv.string,
    },
    "event": {
        **COMMON,
        **STATE,
        vol.Optional(c.CONF_DEVICE_CLASS): vol.Any(None, cv.string),
        vol.Required(c.CONF_EVENT_TYPES): vol.All(_string_list, vol.Length(min=1)),
    },
    "update": {
        **COMMON,
        **STATE,
        **COMMAND,
        vol.Optional(c.CONF_DEVICE_CLASS): vol.Any(None, cv.string),
        vol.Optional(c.CONF_LATEST_VERSION_TOPIC): valid_subscribe_topic,
        vol.Optional(c.CONF_LATEST_VERSION_TEMPLATE): cv.string,
        vol.Optional(c.CONF_PAYLOAD_INSTALL, default=DEFAULT_PAYLOAD_INSTALL): payload,
        vol.Optional(c.CONF_TITLE): cv.string,
        vol.Optional(c.CONF_RELEASE_SUMMARY): cv.string,
        vol.Optional(c.CONF_RELEASE_URL): cv.string,
    },
}

_PLATFORM_CHECKS: dict[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], ...]] = {
    "number": (_check_number_range,),
    "button": (_requires(c.CONF_COMMAND_TOPIC),),
    "event": (_requires(c.CONF_STATE_TOPIC),),
}


def _platform_schema(platform: str, extra: int) -> vol.Schema:
    return vol.Schema(
        vol.All(
            vol.Schema(_PLATFORM_KEYS[platform], extra=extra), *_PLATFORM_CHECKS.get(platform, ())
        )
    )


PLATFORM_SCHEMAS: dict[str, vol.Schema] = {
    platform: _platform_schema(platform, vol.PREVENT_EXTRA) for platform in c.PLATFORMS
}
"""Schemas of YAML list items per platform (unknown keys refused)."""

DISCOVERY_SCHEMAS: dict[str, vol.Schema] = {
    platform: _platform_schema(platform, vol.REMOVE_EXTRA) for platform in c.PLATFORMS
}
"""Schemas of expanded discovery payloads per platform (unknown keys dropped)."""


def _field_spec(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = {"type": value}
    return FIELD_SCHEMA(value)  # type: ignore[no-any-return]


FIELD_TYPES = ("float", "int", "str", "bool", "number", "object", "list")
FIELD_SCHEMA = vol.Schema(
    {
        vol.Required("type"): vol.In(FIELD_TYPES),
        vol.Optional("min"): cv.number,
        vol.Optional("max"): cv.number,
        vol.Optional("required", default=True): cv.boolean,
    }
)

PAYLOAD_SCHEMA_ITEM = vol.Schema(
    {
        vol.Required(c.CONF_TOPIC): valid_subscribe_topic,
        vol.Required(c.CONF_SCHEMA): vol.Any(cv.string, {cv.string: _field_spec}),
    }
)

BUILTIN_BROKER_SCHEMA = vol.Schema(
    {
        vol.Optional(c.CONF_HOST, default=DEFAULT_BUILTIN_HOST): cv.string,
        vol.Optional(c.CONF_PORT, default=DEFAULT_PORT): cv.port,
    }
)


def _check_connection(config: dict[str, Any]) -> dict[str, Any]:
    if config.get(c.CONF_SHARED_GROUP) and config[c.CONF_PROTOCOL] != c.PROTOCOL_5:
        raise vol.Invalid(
            "shared subscriptions need MQTT 5: add 'protocol: \"5\"'", path=[c.CONF_SHARED_GROUP]
        )
    if (c.CONF_CLIENT_KEY in config) != (c.CONF_CLIENT_CERT in config):
        raise vol.Invalid("client_cert and client_key go together", path=[c.CONF_CLIENT_CERT])
    return config


CONFIG_SCHEMA = vol.All(
    vol.Schema(
        {
            vol.Optional(c.CONF_BROKER): cv.string,
            vol.Optional(c.CONF_PORT, default=DEFAULT_PORT): cv.port,
            vol.Optional(c.CONF_CLIENT_ID, default=DEFAULT_CLIENT_ID): cv.string,
            vol.Optional(c.CONF_USERNAME): cv.string,
            vol.Optional(c.CONF_PASSWORD): cv.string,
            vol.Optional(c.CONF_PROTOCOL, default=c.PROTOCOL_311): vol.All(
                vol.Coerce(str), vol.In((c.PROTOCOL_311, c.PROTOCOL_5))
            ),
            vol.Optional(c.CONF_KEEPALIVE, default=DEFAULT_KEEPALIVE): cv.int_in_range(5, 3600),
            vol.Optional(c.CONF_INTAKE_RECEIVER, default=DEFAULT_RECEIVER): vol.In(
                (c.RECEIVER_STREAM, c.RECEIVER_PAHO)
            ),
            vol.Optional(c.CONF_CERTIFICATE): cv.string,
            vol.Optional(c.CONF_CLIENT_CERT): cv.string,
            vol.Optional(c.CONF_CLIENT_KEY): cv.string,
            vol.Optional(c.CONF_TLS_INSECURE, default=False): cv.boolean,
            vol.Optional(c.CONF_SESSION_EXPIRY, default=DEFAULT_SESSION_EXPIRY): cv.positive_int,
            vol.Optional(c.CONF_BIRTH_MESSAGE, default=DEFAULT_BIRTH): vol.Any(
                None, MESSAGE_SCHEMA
            ),
            vol.Optional(c.CONF_WILL_MESSAGE, default=DEFAULT_WILL): vol.Any(None, MESSAGE_SCHEMA),
            vol.Optional(c.CONF_DISCOVERY, default=True): cv.boolean,
            vol.Optional(c.CONF_DISCOVERY_PREFIX, default=DEFAULT_PREFIX): vol.All(
                valid_publish_topic, lambda v: v.rstrip("/")
            ),
            vol.Optional(c.CONF_SHARED_GROUP): cv.slug,
            vol.Optional(c.CONF_BUILTIN_BROKER, default=dict): BUILTIN_BROKER_SCHEMA,
            vol.Optional(c.CONF_SCHEMAS, default=list): [PAYLOAD_SCHEMA_ITEM],
            **{
                vol.Optional(platform, default=list): [PLATFORM_SCHEMAS[platform]]
                for platform in c.PLATFORMS
            },
        }
    ),
    _check_connection,
)
"""The ``mqtt:`` section. Every key is optional: an empty section runs the built-in broker."""

PUBLISH_SCHEMA = vol.Schema(
    {
        vol.Required(c.CONF_TOPIC): valid_publish_topic,
        vol.Exclusive(c.CONF_PAYLOAD, "payload"): cv.string,
        vol.Exclusive(c.CONF_PAYLOAD_TEMPLATE, "payload"): cv.string,
        vol.Optional(c.CONF_QOS, default=DEFAULT_QOS): QOS,
        vol.Optional(c.CONF_RETAIN, default=False): cv.boolean,
    }
)

DUMP_SCHEMA = vol.Schema(
    {
        vol.Required(c.CONF_TOPIC): valid_subscribe_topic,
        vol.Optional(c.CONF_DURATION, default=DEFAULT_DUMP_SECONDS): vol.All(
            vol.Coerce(float), vol.Range(min=0.0, max=MAX_DUMP_SECONDS)
        ),
    }
)

TRIGGER_SCHEMA = vol.Schema(
    {
        vol.Required(c.CONF_TOPIC): valid_subscribe_topic,
        vol.Optional(c.CONF_PAYLOAD): cv.string,
        vol.Optional(c.CONF_VALUE_TEMPLATE): cv.string,
        vol.Optional(c.CONF_QOS, default=DEFAULT_QOS): QOS,
        vol.Optional(c.CONF_ENCODING, default="utf-8"): cv.string,
    }
)
