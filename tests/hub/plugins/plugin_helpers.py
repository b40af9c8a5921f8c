"""Helpers for plugin tests: tiny in-test integrations."""

from __future__ import annotations

from typing import Any


def make_plugin(**hooks: Any) -> object:
    """A plugin object whose attributes are hook implementations."""
    from hub.plugins.markers import hookimpl

    namespace = {name: staticmethod(hookimpl(func)) for name, func in hooks.items()}
    return type("TestPlugin", (), namespace)()


def manifest(domain: str, **extra: Any) -> dict[str, Any]:
    """A minimal manifest mapping."""
    return {"domain": domain, "name": domain.title(), "version": "1.0.0", **extra}
