"""Key strings of the OTA integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "ota"
STORAGE_DIR: Final = "ota"
TOKEN_KEY_FILE: Final = ".download_key"

CONF_PUBLISHER_KEYS: Final = "publisher_keys"
CONF_BASE_URL: Final = "base_url"
CONF_MAX_IMAGE_SIZE: Final = "max_image_size"
CONF_MODELS: Final = "models"
CONF_SLOT_SIZE: Final = "slot_size"
CONF_PROJECT_NAME: Final = "project_name"
CONF_CHIP: Final = "chip"
CONF_COMMAND_TOPIC: Final = "command_topic"
CONF_MAX_ATTEMPTS: Final = "max_attempts"
CONF_CONCURRENCY: Final = "concurrency"

CHIP_ESP32: Final = "esp32"
CHIP_ESP8266: Final = "esp8266"

DEFAULT_MAX_IMAGE_SIZE: Final = 16 * 1024 * 1024
DEFAULT_BASE_URL: Final = "http://127.0.0.1:8123"
DEFAULT_MAX_ATTEMPTS: Final = 3
DEFAULT_CONCURRENCY: Final = 10

# Events a delivery channel (another integration) fires; see docs/ota.md.
EVENT_OTA_REPORT: Final = "ota_report"
"""A device reported OTA progress: device_id, fw_state, version, progress, error, detail."""
EVENT_OTA_DEVICE_SEEN: Final = "ota_device_seen"
"""A device connected (online True, with its running version) or went away (online False)."""

SERVICE_SEND: Final = "ota_send"
"""Service a channel integration registers as ``<domain>.ota_send``; see docs/ota.md."""

PATH_IMAGES: Final = "/api/ota/images"
PATH_IMAGE: Final = "/api/ota/images/{image_id}"
PATH_DOWNLOAD: Final = "/api/ota/download/{image_id}"
PATH_REPORT: Final = "/api/ota/report"
PATH_ROLLOUTS: Final = "/api/ota/rollouts"
PATH_ROLLOUT: Final = "/api/ota/rollouts/{rollout_id}"
PATH_DEVICES: Final = "/api/ota/devices"
PATH_AUDIT: Final = "/api/ota/audit"
