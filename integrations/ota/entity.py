"""The ``update`` entity of each device whose model has OTA settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hub.api import DeviceEntry, UpdateEntity

from .models import ACTIVE, Image, Record

if TYPE_CHECKING:
    from .manager import OtaManager


class OtaUpdateEntity(UpdateEntity):
    """Installed version (from the device), latest image of its model, and the running update."""

    _attr_supports_install = True

    def __init__(self, manager: OtaManager, device: DeviceEntry) -> None:
        self._manager = manager
        self.device_id_value = device.id
        self._attr_unique_id = f"ota-{device.id}"
        self._attr_device_id = device.id
        self._attr_name = f"{device.name} firmware"
        self._attr_title = device.model
        self._attr_skipped_version = device.data.get("ota_skipped_version")
        self.refresh(device, None, None, write=False)

    def refresh(
        self,
        device: DeviceEntry,
        latest: Image | None,
        record: Record | None,
        *,
        write: bool = True,
    ) -> None:
        """Take new values from the device, the newest image and the current record."""
        self._attr_installed_version = device.sw_version
        self._attr_latest_version = latest.version if latest is not None else device.sw_version
        self._attr_release_summary = latest.release_notes if latest is not None else None
        active = record is not None and record.state in ACTIVE
        self._attr_in_progress = active
        self._attr_update_percentage = float(record.progress) if record and active else None
        self._attr_extra_state_attributes = (
            None
            if record is None
            else {
                "ota_state": str(record.state),
                "ota_target_version": record.target_version,
                "ota_error": record.error_code,
            }
        )
        if write and self.added:
            self.write_state()

    async def async_install(self, version: str | None = None, backup: bool = False) -> None:
        """Start a one-device rollout of ``version`` (the latest when None)."""
        await self._manager.install(self.device_id_value, version)

    async def async_skip(self) -> None:
        """Skip the latest version and remember it with the device."""
        await super().async_skip()
        await self._manager.remember_skipped(self.device_id_value, self._attr_skipped_version)

    async def async_clear_skipped(self) -> None:
        """Forget the skipped version."""
        await super().async_clear_skipped()
        await self._manager.remember_skipped(self.device_id_value, None)
