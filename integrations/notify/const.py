"""Key strings of the notify integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "notify"

CONF_TARGETS: Final = "targets"
CONF_ROUTES: Final = "routes"
CONF_NAME: Final = "name"
CONF_PLATFORM: Final = "platform"
CONF_RETRY: Final = "retry"
CONF_SCHEDULE: Final = "schedule"
CONF_JITTER: Final = "jitter"
CONF_RATE_LIMIT: Final = "rate_limit"
CONF_DEDUP_WINDOW: Final = "dedup_window"
CONF_TIMEOUT: Final = "timeout"
CONF_LOG_RETENTION: Final = "log_retention"

ATTR_TITLE: Final = "title"
ATTR_MESSAGE: Final = "message"
ATTR_DATA: Final = "data"
ATTR_ALERT_ID: Final = "alert_id"
ATTR_ALERT_IDS: Final = "alert_ids"
ATTR_SEVERITY: Final = "severity"
ATTR_STATE: Final = "state"
ATTR_NOTIFICATION_ID: Final = "notification_id"

SERVICE_ALERT: Final = "alert"
SERVICE_PERSISTENT: Final = "persistent"
SERVICE_PERSISTENT_ALIAS: Final = "persistent_notification"

PERSISTENT_TARGET: Final = "persistent"
"""The in-app target that always exists (unless a target of that name is configured)."""

SEVERITY_CRITICAL: Final = "critical"
SEVERITY_WARNING: Final = "warning"
SEVERITY_INFO: Final = "info"
SEVERITIES: Final = (SEVERITY_CRITICAL, SEVERITY_WARNING, SEVERITY_INFO)

ALERT_FIRING: Final = "firing"
ALERT_RESOLVED: Final = "resolved"
ALERT_ACKNOWLEDGED: Final = "acknowledged"
ALERT_STATES: Final = (ALERT_FIRING, ALERT_RESOLVED, ALERT_ACKNOWLEDGED)

ALERT_DOMAIN: Final = "alert"
ALERT_ACKNOWLEDGE_SERVICE: Final = "acknowledge"

EVENT_RECEIPT_ACKNOWLEDGED: Final = "notify_receipt_acknowledged"
"""Fired when a push receipt (Pushover emergency) is acknowledged on a phone."""

REDACTED: Final = "**REDACTED**"
