"""Updates: firmware or software that can be updated (installed vs latest version)."""

from __future__ import annotations

from typing import Any, ClassVar

import voluptuous as vol

from hub.core.state import STATE_OFF, STATE_ON, STATE_UNKNOWN
from hub.entity.entity import Entity, PlatformService


class UpdateEntity(Entity):
    """An update. Set the version attributes; implement :meth:`async_install` if supported.

    The state is ``on`` when an update is available, ``off`` when up to date.
    """

    platform: ClassVar[str] = "update"
    platform_services: ClassVar[tuple[PlatformService, ...]] = (
        PlatformService(
            "install",
            "async_install",
            {vol.Optional("version"): vol.Any(None, str), vol.Optional("backup"): bool},
        ),
    )
    _attr_installed_version: str | None = None
    _attr_latest_version: str | None = None
    _attr_title: str | None = None
    _attr_release_summary: str | None = None
    _attr_release_url: str | None = None
    _attr_in_progress: bool = False
    _attr_update_percentage: float | None = None
    _attr_supports_install: bool = False

    @property
    def installed_version(self) -> str | None:
        """The version running now."""
        return self._attr_installed_version

    @property
    def latest_version(self) -> str | None:
        """The newest version available."""
        return self._attr_latest_version

    @property
    def state(self) -> str:
        """``on`` if the latest version differs from the installed one."""
        installed, latest = self.installed_version, self.latest_version
        if installed is None or latest is None:
            return STATE_UNKNOWN
        return STATE_ON if installed != latest else STATE_OFF

    @property
    def platform_attributes(self) -> dict[str, Any]:
        """Versions, title, release notes and progress."""
        return {
            "installed_version": self.installed_version,
            "latest_version": self.latest_version,
            "title": self._attr_title,
            "release_summary": self._attr_release_summary,
            "release_url": self._attr_release_url,
            "in_progress": self._attr_in_progress,
            "update_percentage": self._attr_update_percentage,
            "supports_install": self._attr_supports_install,
        }

    async def async_install(self, version: str | None = None, backup: bool = False) -> None:
        """Install ``version`` (the latest when None)."""
        raise NotImplementedError(f"{self.entity_id} cannot be installed from the hub")
