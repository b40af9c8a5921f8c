"""Notifications: named targets (e-mail, webhooks, SMS, push, in-app) and alert routing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import voluptuous as vol

from hub.api import Hub, hookimpl

from .builtin import BUILTIN_FACTORIES
from .http_views import register_http_views
from .runtime import async_setup, async_unload
from .schema import BUILTIN_OPTIONS, CONFIG_SCHEMA


@hookimpl
def fieldhub_config_schema() -> Any:
    """The ``notify:`` section's schema."""
    return CONFIG_SCHEMA


@hookimpl
def fieldhub_register_notify_platforms(register: Callable[..., None]) -> None:
    """Register the built-in platforms."""
    for name, factory in BUILTIN_FACTORIES.items():
        register(name, vol.Schema(BUILTIN_OPTIONS[name]), factory)


@hookimpl
async def fieldhub_setup(hub: Hub, config: Any) -> None:
    """Start the targets and register the services."""
    await async_setup(hub, config)


@hookimpl
async def fieldhub_unload(hub: Hub) -> None:
    """Stop sending and release connections."""
    await async_unload(hub)


@hookimpl
def fieldhub_register_http_views(hub: Hub, register: Callable[..., None]) -> None:
    """Expose targets, the delivery log and test sends."""
    register_http_views(hub, register)
