"""Key strings of the tank node integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "tank_node"
CREDENTIAL_KIND: Final = "tank_node"
MANUFACTURER: Final = "Fieldhub"

EVENT_TANK_DECOMMISSIONED: Final = "tank-decommissioned"
EVENT_OTA_REPORT: Final = "ota_report"
"""Fired for each ``ota-state`` of a node (consumed by the ``ota`` integration)."""
EVENT_OTA_DEVICE_SEEN: Final = "ota_device_seen"
"""Fired when a node identifies (with its ``fw``) and when its session ends."""
SERVICE_OTA_SEND: Final = "ota_send"

PATH_SCAN: Final = "/api/setup/scan"
PATH_DISCOVERED: Final = "/api/tank_node/discovered"
PATH_PAIR: Final = "/api/tank_node/pair"

CONF_TANKS: Final = "tanks"
CONF_HUB_URL: Final = "hub_url"
CONF_MAC: Final = "mac"
CONF_NAME: Final = "name"
CONF_SHAPE: Final = "shape"
CONF_REPORT_INTERVAL: Final = "report_interval"
CONF_DEEP_SLEEP: Final = "deep_sleep"
CONF_IDENTIFY_TIMEOUT: Final = "identify_timeout"

DEVICE_DATA_TANK: Final = "tank"
"""Key in a device's ``data`` holding its validated tank section (geometry and interval)."""

IDENTIFY_TIMEOUT_S: Final = 10.0
SCAN_SECONDS: Final = 3.0
PAIR_TIMEOUT_S: Final = 10.0

CONF_SIMULATE: Final = "simulate"
CONF_PROFILE: Final = "profile"
SIM_STATE_FILE: Final = ".tank_node_sim.json"
"""In the config directory: what the simulated nodes keep in their non-volatile storage."""

SERVICE_SET_CONFIG: Final = "set_config"

RATE_LIMIT_PER_S: Final = 10.0
"""Frames per second a node may send on average before the hub closes with 4009."""
RATE_LIMIT_BURST: Final = 600
"""Frames a node may send at once: room for replaying a full offline buffer (256 on the
firmware, 512 in the simulator)."""
