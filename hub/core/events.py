"""Names of the well-known events fired on the bus."""

from typing import Final

EVENT_STATE_CHANGED: Final = "state_changed"
EVENT_STATE_REPORTED: Final = "state_reported"
EVENT_SERVICE_CALLED: Final = "service_called"
EVENT_SERVICE_REGISTERED: Final = "service_registered"
EVENT_AUTOMATION_TRIGGERED: Final = "automation_triggered"
EVENT_DEVICE_REGISTERED: Final = "device_registered"
EVENT_DEVICE_UPDATED: Final = "device_updated"
EVENT_DEVICE_REMOVED: Final = "device_removed"
EVENT_ENTITY_REGISTRY_UPDATED: Final = "entity_registry_updated"
EVENT_ALERT_CHANGED: Final = "alert_changed"
EVENT_HUB_STARTED: Final = "hub_started"
EVENT_HUB_STOP: Final = "hub_stop"
EVENT_INTEGRATION_LOADED: Final = "integration_loaded"
EVENT_INTEGRATION_UNLOADED: Final = "integration_unloaded"
EVENT_NOTICE_CREATED: Final = "notice_created"
EVENT_NOTICE_DISMISSED: Final = "notice_dismissed"

MATCH_ALL: Final = "*"
