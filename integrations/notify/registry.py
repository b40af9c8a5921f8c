"""Notify platforms: built-in and registered by other integrations through one door."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import voluptuous as vol

from hub.api import ConfigError, ConfigIssue, Hub, validate_section

from .const import CONF_TARGETS, DOMAIN
from .model import PlatformFactory
from .schema import COMMON_KEYS, TargetConfig

NOTIFY_PLATFORMS_HOOK = "fieldhub_register_notify_platforms"


@dataclass(frozen=True, slots=True)
class PlatformSpec:
    """A registered platform: its option schema, its factory and who registered it."""

    name: str
    schema: Any
    factory: PlatformFactory
    integration: str


class PlatformRegistry:
    """Platforms by name, collected from every integration's hook."""

    def __init__(self) -> None:
        self._platforms: dict[str, PlatformSpec] = {}

    @classmethod
    def collect(cls, hub: Hub) -> PlatformRegistry:
        """Call ``fieldhub_register_notify_platforms`` on every integration."""
        registry = cls()
        for integration, args, kwargs in hub.plugins.collect(NOTIFY_PLATFORMS_HOOK):
            registry.register(*args, integration=integration, **kwargs)
        return registry

    def register(
        self,
        platform: str,
        schema: Any,
        factory: PlatformFactory,
        *,
        integration: str,
    ) -> None:
        """Add ``platform``; a second registration of one name is refused."""
        if platform in self._platforms:
            other = self._platforms[platform].integration
            raise ValueError(f"notify platform {platform!r} is already registered by {other}")
        self._platforms[platform] = PlatformSpec(platform, schema, factory, integration)

    def get(self, platform: str) -> PlatformSpec | None:
        """The platform named ``platform``."""
        return self._platforms.get(platform)

    def names(self) -> list[str]:
        """Registered platform names."""
        return sorted(self._platforms)


def resolve_options(target: TargetConfig, registry: PlatformRegistry) -> TargetConfig:
    """Validate a target's options against its platform's schema (if not done at load).

    Raises :class:`ConfigError` located at the target's lines in the YAML.
    """
    spec = registry.get(target.platform)
    if spec is None:
        issue = _issue(target, "platform", f"unknown notify platform '{target.platform}'")
        raise ConfigError([issue])
    if target.validated:
        return target
    schema = spec.schema if callable(spec.schema) else vol.Schema(spec.schema)
    if isinstance(schema, vol.Schema) and isinstance(schema.schema, dict):
        schema = schema.extend({vol.Optional(key): object for key in COMMON_KEYS})
        value: Any = target.source
    else:
        value = {k: v for k, v in target.options.items() if k not in COMMON_KEYS}
    try:
        options = validate_section(DOMAIN, schema, value)
    except ConfigError as err:
        prefix = (DOMAIN, CONF_TARGETS, target.index)
        raise ConfigError(
            [replace(issue, path=prefix + issue.path[1:]) for issue in err.issues]
        ) from None
    cleaned = {k: v for k, v in dict(options).items() if k not in COMMON_KEYS}
    return replace(target, options=cleaned, validated=True)


def _issue(target: TargetConfig, key: str, message: str) -> ConfigIssue:
    source = target.source
    where = getattr(source, "value_location", None)
    location = where(key) if where is not None else None
    line = location.line if location else getattr(source, "__line__", None)
    file = location.file if location else getattr(source, "__config_file__", None)
    return ConfigIssue(file, line, (DOMAIN, CONF_TARGETS, target.index), message)
