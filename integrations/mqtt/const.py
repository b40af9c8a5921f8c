"""Key strings of the MQTT integration's configuration and discovery payloads."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "mqtt"

# Connection
CONF_BROKER: Final = "broker"
CONF_PORT: Final = "port"
CONF_CLIENT_ID: Final = "client_id"
CONF_USERNAME: Final = "username"
CONF_PASSWORD: Final = "password"
CONF_PROTOCOL: Final = "protocol"
CONF_KEEPALIVE: Final = "keepalive"
CONF_CERTIFICATE: Final = "certificate"
CONF_CLIENT_CERT: Final = "client_cert"
CONF_CLIENT_KEY: Final = "client_key"
CONF_TLS_INSECURE: Final = "tls_insecure"
CONF_SESSION_EXPIRY: Final = "session_expiry"
CONF_BIRTH_MESSAGE: Final = "birth_message"
CONF_WILL_MESSAGE: Final = "will_message"
CONF_DISCOVERY: Final = "discovery"
CONF_DISCOVERY_PREFIX: Final = "discovery_prefix"
CONF_SHARED_GROUP: Final = "shared_subscription_group"
CONF_BUILTIN_BROKER: Final = "builtin_broker"
CONF_SCHEMAS: Final = "schemas"
CONF_HOST: Final = "host"
CONF_INTAKE_RECEIVER: Final = "intake_receiver"

PROTOCOL_311: Final = "3.1.1"
PROTOCOL_5: Final = "5"
RECEIVER_STREAM: Final = "stream"
RECEIVER_PAHO: Final = "paho"

# Messages
CONF_TOPIC: Final = "topic"
CONF_PAYLOAD: Final = "payload"
CONF_PAYLOAD_TEMPLATE: Final = "payload_template"
CONF_QOS: Final = "qos"
CONF_RETAIN: Final = "retain"
CONF_SCHEMA: Final = "schema"
CONF_DURATION: Final = "duration"

# Entities
CONF_NAME: Final = "name"
CONF_UNIQUE_ID: Final = "unique_id"
CONF_OBJECT_ID: Final = "object_id"
CONF_DEVICE: Final = "device"
CONF_ICON: Final = "icon"
CONF_ENTITY_CATEGORY: Final = "entity_category"
CONF_DEVICE_CLASS: Final = "device_class"
CONF_STATE_CLASS: Final = "state_class"
CONF_UNIT: Final = "unit_of_measurement"
CONF_STATE_TOPIC: Final = "state_topic"
CONF_VALUE_TEMPLATE: Final = "value_template"
CONF_COMMAND_TOPIC: Final = "command_topic"
CONF_COMMAND_TEMPLATE: Final = "command_template"
CONF_OPTIMISTIC: Final = "optimistic"
CONF_FORCE_UPDATE: Final = "force_update"
CONF_EXPIRE_AFTER: Final = "expire_after"
CONF_ENCODING: Final = "encoding"
CONF_JSON_ATTRS_TOPIC: Final = "json_attributes_topic"
CONF_JSON_ATTRS_TEMPLATE: Final = "json_attributes_template"
CONF_AVAILABILITY: Final = "availability"
CONF_AVAILABILITY_TOPIC: Final = "availability_topic"
CONF_AVAILABILITY_TEMPLATE: Final = "availability_template"
CONF_AVAILABILITY_MODE: Final = "availability_mode"
CONF_PAYLOAD_AVAILABLE: Final = "payload_available"
CONF_PAYLOAD_NOT_AVAILABLE: Final = "payload_not_available"
CONF_PAYLOAD_ON: Final = "payload_on"
CONF_PAYLOAD_OFF: Final = "payload_off"
CONF_STATE_ON: Final = "state_on"
CONF_STATE_OFF: Final = "state_off"
CONF_OFF_DELAY: Final = "off_delay"
CONF_MIN: Final = "min"
CONF_MAX: Final = "max"
CONF_STEP: Final = "step"
CONF_MODE: Final = "mode"
CONF_OPTIONS: Final = "options"
CONF_PATTERN: Final = "pattern"
CONF_PAYLOAD_PRESS: Final = "payload_press"
CONF_EVENT_TYPES: Final = "event_types"
CONF_LATEST_VERSION_TOPIC: Final = "latest_version_topic"
CONF_LATEST_VERSION_TEMPLATE: Final = "latest_version_template"
CONF_PAYLOAD_INSTALL: Final = "payload_install"
CONF_TITLE: Final = "title"
CONF_RELEASE_SUMMARY: Final = "release_summary"
CONF_RELEASE_URL: Final = "release_url"

# Device block
CONF_IDENTIFIERS: Final = "identifiers"
CONF_CONNECTIONS: Final = "connections"
CONF_MANUFACTURER: Final = "manufacturer"
CONF_MODEL: Final = "model"
CONF_MODEL_ID: Final = "model_id"
CONF_SW_VERSION: Final = "sw_version"
CONF_HW_VERSION: Final = "hw_version"
CONF_SERIAL_NUMBER: Final = "serial_number"
CONF_SUGGESTED_AREA: Final = "suggested_area"
CONF_VIA_DEVICE: Final = "via_device"
CONF_CONFIGURATION_URL: Final = "configuration_url"

# Discovery
DISCOVERY_BASE: Final = "~"
DISCOVERY_COMPONENTS: Final = "components"
DISCOVERY_PLATFORM: Final = "platform"
DISCOVERY_ORIGIN: Final = "origin"
DEVICE_COMPONENT: Final = "device"

AVAILABILITY_ALL: Final = "all"
AVAILABILITY_ANY: Final = "any"
AVAILABILITY_LATEST: Final = "latest"

PLATFORMS: Final = (
    "sensor",
    "binary_sensor",
    "switch",
    "number",
    "button",
    "select",
    "text",
    "event",
    "update",
)
