"""The stable surface integrations import from. Nothing else in ``hub`` is public API."""

from __future__ import annotations

from hub.alerts.manager import ALERTS
from hub.automation.templates import Template, TemplateError, render_complex
from hub.automation.validators import template as template_validator
from hub.config import cv
from hub.config.errors import ConfigError, ConfigIssue
from hub.config.validation import validate_section
from hub.core.bus import Event, EventBus
from hub.core.clock import Clock, ManualClock
from hub.core.context import Context
from hub.core.errors import (
    DeviceAlreadyRegistered,
    HubError,
    IntegrationError,
    ServiceNotFound,
    ServiceValidationError,
    Unauthorized,
)
from hub.core.events import (
    EVENT_DEVICE_REGISTERED,
    EVENT_DEVICE_REMOVED,
    EVENT_HUB_STARTED,
    EVENT_HUB_STOP,
    EVENT_SERVICE_CALLED,
    EVENT_STATE_CHANGED,
)
from hub.core.hub import Hub
from hub.core.keys import HubKey
from hub.core.metrics import MetricsRegistry, hub_metrics
from hub.core.services import ServiceCall
from hub.core.state import (
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    State,
    split_entity_id,
    valid_entity_id,
)
from hub.core.tasks import cancel_and_wait
from hub.database.base import Base
from hub.discovery.models import MqttDiscoveryMessage, ZeroconfDiscovery
from hub.discovery.zeroconf_browser import zeroconf_scan
from hub.entity.device_registry import DeviceEntry, IssuedCredential
from hub.entity.entity import Entity, EntityDescription, PlatformService
from hub.entity.naming import slugify
from hub.entity.platforms.binary_sensor import BinarySensorEntity
from hub.entity.platforms.button import ButtonEntity
from hub.entity.platforms.event import EventEntity
from hub.entity.platforms.number import NumberEntity
from hub.entity.platforms.select import SelectEntity
from hub.entity.platforms.sensor import SensorEntity, SensorEntityDescription
from hub.entity.platforms.switch import SwitchEntity
from hub.entity.platforms.text import TextEntity
from hub.entity.platforms.update import UpdateEntity, UpdateEntityFeature, version_is_newer
from hub.http.keys import request_user
from hub.http.request import bearer_token
from hub.http.users import User
from hub.plugins.manifest import Manifest
from hub.plugins.markers import hookimpl
from hub.plugins.simulators import load_simulator_module
from hub.recorder.late import record_state_at
from hub.window.component import WINDOW
from hub.window.store import TelemetryWindow

__all__ = [
    "ALERTS",
    "EVENT_DEVICE_REGISTERED",
    "EVENT_DEVICE_REMOVED",
    "EVENT_HUB_STARTED",
    "EVENT_HUB_STOP",
    "EVENT_SERVICE_CALLED",
    "EVENT_STATE_CHANGED",
    "STATE_OFF",
    "STATE_ON",
    "STATE_UNAVAILABLE",
    "STATE_UNKNOWN",
    "WINDOW",
    "Base",
    "BinarySensorEntity",
    "ButtonEntity",
    "Clock",
    "ConfigError",
    "ConfigIssue",
    "Context",
    "DeviceAlreadyRegistered",
    "DeviceEntry",
    "Entity",
    "EntityDescription",
    "Event",
    "EventBus",
    "EventEntity",
    "Hub",
    "HubError",
    "HubKey",
    "IntegrationError",
    "IssuedCredential",
    "Manifest",
    "ManualClock",
    "MetricsRegistry",
    "MqttDiscoveryMessage",
    "NumberEntity",
    "PlatformService",
    "SelectEntity",
    "SensorEntity",
    "SensorEntityDescription",
    "ServiceCall",
    "ServiceNotFound",
    "ServiceValidationError",
    "State",
    "SwitchEntity",
    "TelemetryWindow",
    "Template",
    "TemplateError",
    "TextEntity",
    "Unauthorized",
    "UpdateEntity",
    "UpdateEntityFeature",
    "User",
    "ZeroconfDiscovery",
    "bearer_token",
    "cancel_and_wait",
    "cv",
    "hookimpl",
    "hub_metrics",
    "load_simulator_module",
    "record_state_at",
    "render_complex",
    "request_user",
    "slugify",
    "split_entity_id",
    "template_validator",
    "valid_entity_id",
    "validate_section",
    "version_is_newer",
    "zeroconf_scan",
]
