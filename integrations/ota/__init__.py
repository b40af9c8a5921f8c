"""OTA: signed firmware images, staged rollouts, progress tracking and rollback detection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub.api import Hub, hookimpl

from . import const as c
from .audit import AuditLog
from .cli import register_commands
from .delivery import Delivery
from .engine import RolloutEngine
from .manager import OtaManager
from .repository import Repository
from .runtime import RUNTIME
from .schema import CONFIG_SCHEMA
from .signing import load_public_key
from .store import OtaStore
from .tokens import TokenSigner
from .views import register_views


@hookimpl
def fieldhub_config_schema() -> Any:
    """The ``ota:`` section (see :mod:`.schema`)."""
    return CONFIG_SCHEMA


@hookimpl
async def fieldhub_setup(hub: Hub, config: Any) -> None:
    """Open the repository, load rollouts and create the update entities."""
    section: dict[str, Any] = CONFIG_SCHEMA(config or {})
    keys = [load_public_key(text) for text in section[c.CONF_PUBLISHER_KEYS]]
    folder = hub.config_dir / c.STORAGE_DIR
    store = OtaStore(hub)
    await store.create_tables()
    models = dict(section[c.CONF_MODELS])
    repository = Repository(
        folder,
        store,
        hub.clock,
        keys=keys,
        models=models,
        max_size=section[c.CONF_MAX_IMAGE_SIZE],
    )
    tokens = await TokenSigner.from_file(folder / c.TOKEN_KEY_FILE)
    audit = AuditLog(hub, store)
    engine = RolloutEngine(
        hub, store, Delivery(hub, models), tokens, section[c.CONF_BASE_URL], audit
    )
    manager = OtaManager(hub, section, store, repository, engine, audit)
    hub.data[RUNTIME] = manager
    await manager.start()


@hookimpl
async def fieldhub_unload(hub: Hub) -> None:
    """Stop timers and listeners."""
    manager = hub.data.pop(RUNTIME)
    if manager is not None:
        await manager.stop()


@hookimpl
def fieldhub_register_http_views(hub: Hub, register: Callable[..., None]) -> None:
    """Images, downloads, reports, rollouts, devices and the audit log."""
    register_views(hub, register)


@hookimpl
def fieldhub_register_cli_commands(register: Callable[..., None]) -> None:
    """``hub ota keygen|sign|upload``."""
    register_commands(register)


@hookimpl
def fieldhub_register_ui_panels(register: Callable[..., None]) -> None:
    """The Firmware page: images, rollouts and the audit log."""
    register("ota", "Firmware", "mdi:update")
