"""Updates: firmware or software that can be updated (installed vs latest version).

Mirrors Home Assistant's update entity: the same attributes, the services ``update.install``
(optional ``version``), ``update.skip`` and ``update.clear_skipped``, and the same errors for
"nothing to install" and "already in progress".
"""

from __future__ import annotations

import re
from enum import IntFlag
from typing import Any, ClassVar

import voluptuous as vol

from hub.core.errors import ServiceValidationError
from hub.core.state import STATE_OFF, STATE_ON, STATE_UNKNOWN
from hub.entity.entity import Entity, PlatformService

RELEASE_SUMMARY_MAX = 255
_VERSION_PART = re.compile(r"\d+|[A-Za-z]+")


class UpdateEntityFeature(IntFlag):
    """What an update entity supports (Home Assistant's bit values)."""

    INSTALL = 1
    SPECIFIC_VERSION = 2
    PROGRESS = 4
    BACKUP = 8
    RELEASE_NOTES = 16


def version_is_newer(latest: str, installed: str) -> bool:
    """True when ``latest`` is newer than ``installed``; unparsable but different counts as newer.

    Versions compare part by part (numbers numerically); a pre-release (``1.2.0-rc1``) is older
    than its release, as in semantic versioning.
    """

    def key(version: str) -> tuple[tuple[tuple[int, int | str], ...], int] | None:
        core, _, pre = version.lstrip("vV").partition("+")[0].partition("-")
        parts = _VERSION_PART.findall(core)
        if not parts or not all(p.isdigit() for p in parts):
            return None
        numbers = tuple((0, int(p)) for p in parts)
        padded = numbers + ((0, 0),) * (4 - len(numbers))
        return padded, 0 if pre else 1

    new, old = key(latest), key(installed)
    if new is None or old is None:
        return latest != installed
    if new != old:
        return new > old
    if latest != installed and "-" in latest and "-" in installed:
        return latest.partition("-")[2] > installed.partition("-")[2]
    return False


class UpdateEntity(Entity):
    """An update. Set the version attributes; implement :meth:`async_install` if supported.

    The state is ``on`` when the latest version is newer than the installed one and not
    skipped, ``off`` when up to date or skipped, unknown when either version is unknown.
    """

    platform: ClassVar[str] = "update"
    platform_services: ClassVar[tuple[PlatformService, ...]] = (
        PlatformService(
            "install",
            "async_handle_install",
            {vol.Optional("version"): vol.Any(None, str), vol.Optional("backup"): bool},
        ),
        PlatformService("skip", "async_skip", {}),
        PlatformService("clear_skipped", "async_clear_skipped", {}),
    )
    _attr_device_class = "firmware"
    _attr_installed_version: str | None = None
    _attr_latest_version: str | None = None
    _attr_skipped_version: str | None = None
    _attr_title: str | None = None
    _attr_release_summary: str | None = None
    _attr_release_url: str | None = None
    _attr_in_progress: bool = False
    _attr_update_percentage: float | None = None
    _attr_supports_install: bool = False
    _attr_supported_features: UpdateEntityFeature = UpdateEntityFeature(0)
    _attr_auto_update: bool = False

    @property
    def installed_version(self) -> str | None:
        """The version running now."""
        return self._attr_installed_version

    @property
    def latest_version(self) -> str | None:
        """The newest version available."""
        return self._attr_latest_version

    @property
    def skipped_version(self) -> str | None:
        """The version the user chose to skip (cleared once installed or superseded)."""
        skipped = self._attr_skipped_version
        if skipped is not None and skipped == self.latest_version:
            return skipped
        return None

    @property
    def update_available(self) -> bool:
        """True when the latest version is newer than the installed one."""
        installed, latest = self.installed_version, self.latest_version
        if installed is None or latest is None:
            return False
        return version_is_newer(latest, installed)

    @property
    def state(self) -> str:
        """``on`` if a newer version is available and not skipped."""
        installed, latest = self.installed_version, self.latest_version
        if installed is None or latest is None:
            return STATE_UNKNOWN
        if self.skipped_version is not None:
            return STATE_OFF
        return STATE_ON if self.update_available else STATE_OFF

    @property
    def supported_features(self) -> UpdateEntityFeature:
        """The feature bits; ``_attr_supports_install`` implies INSTALL."""
        features = self._attr_supported_features
        if self._attr_supports_install:
            features |= UpdateEntityFeature.INSTALL
        return features

    @property
    def platform_attributes(self) -> dict[str, Any]:
        """Versions, title, release notes and progress (Home Assistant's names)."""
        summary = self._attr_release_summary
        return {
            "installed_version": self.installed_version,
            "latest_version": self.latest_version,
            "skipped_version": self.skipped_version,
            "title": self._attr_title,
            "release_summary": summary[:RELEASE_SUMMARY_MAX] if summary else summary,
            "release_url": self._attr_release_url,
            "in_progress": self._attr_in_progress,
            "update_percentage": self._attr_update_percentage,
            "auto_update": self._attr_auto_update,
            "supports_install": self._attr_supports_install,
            "supported_features": int(self.supported_features),
        }

    async def async_handle_install(self, version: str | None = None, backup: bool = False) -> None:
        """``update.install``: refuse when an install runs or there is nothing to install."""
        if self._attr_in_progress:
            raise ServiceValidationError(f"an update of {self.entity_id} is already in progress")
        if version is None and (self.latest_version is None or not self.update_available):
            raise ServiceValidationError(f"no update available for {self.entity_id}")
        await self.async_install(version, backup)

    async def async_install(self, version: str | None = None, backup: bool = False) -> None:
        """Install ``version`` (the latest when None)."""
        raise ServiceValidationError(f"{self.entity_id} cannot be installed from the hub")

    async def async_skip(self) -> None:
        """``update.skip``: hide the current latest version until a newer one appears."""
        if not self.update_available:
            raise ServiceValidationError(f"no update available for {self.entity_id}")
        self._attr_skipped_version = self.latest_version
        self.write_state()

    async def async_clear_skipped(self) -> None:
        """``update.clear_skipped``: show the skipped version again."""
        self._attr_skipped_version = None
        self.write_state()
