"""The plugin manager: loads integrations from entry points and calls their hooks.

pluggy calls hooks synchronously; :func:`await_me_maybe` is the one place where a hook's
awaitable result is awaited.
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Any

import pluggy

from hub.core.errors import IntegrationError
from hub.plugins import hookspecs
from hub.plugins.manifest import Manifest, manifest_path_for_module
from hub.plugins.markers import ENTRY_POINT_GROUP, PROJECT_NAME

_LOGGER = logging.getLogger(__name__)

ENV_ALLOWED = "FIELDHUB_PLUGINS"
ENV_TRACE = "FIELDHUB_TRACE_HOOKS"


async def await_me_maybe(value: Any) -> Any:
    """Await ``value`` if it is awaitable; return it otherwise."""
    if inspect.isawaitable(value):
        return await value
    return value


@dataclass(frozen=True, slots=True)
class PluginInfo:
    """A loaded plugin: its domain, where it came from and which hooks it implements."""

    name: str
    manifest: Manifest
    module: str
    distribution: str | None
    distribution_version: str | None
    hooks: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Serialise for ``hub plugins`` and ``GET /api/plugins``."""
        return {
            "name": self.name,
            "version": self.manifest.version,
            "title": self.manifest.name,
            "module": self.module,
            "distribution": self.distribution,
            "distribution_version": self.distribution_version,
            "hooks": list(self.hooks),
            "dependencies": list(self.manifest.dependencies),
        }


def _allowed_from_env() -> set[str] | None:
    raw = os.environ.get(ENV_ALLOWED)
    if raw is None or not raw.strip():
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


class PluginManager:
    """Finds, validates and calls Fieldhub plugins. One per hub, never module-global."""

    def __init__(self) -> None:
        self._pm = pluggy.PluginManager(PROJECT_NAME)
        self._pm.add_hookspecs(hookspecs)
        self._info: dict[str, PluginInfo] = {}
        self._undo_trace: Callable[[], None] | None = None
        if os.environ.get(ENV_TRACE):
            self.enable_tracing()

    # -- loading -----------------------------------------------------------------------------
    def load_entry_points(self, allowed: Collection[str] | None = None) -> list[str]:
        """Register every plugin of the ``fieldhub.integrations`` entry-point group.

        ``allowed`` (or the ``FIELDHUB_PLUGINS`` env var, comma-separated) limits loading to
        those names. A hook implementation with no matching spec (a misspelled hook) raises
        :class:`IntegrationError` naming the plugin and the hook.
        """
        allow = set(allowed) if allowed is not None else _allowed_from_env()
        loaded = []
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if allow is not None and ep.name not in allow:
                continue
            if ep.name in self._info:
                continue
            self._load_entry_point(ep)
            loaded.append(ep.name)
        self.check_pending()
        return loaded

    def _load_entry_point(self, ep: EntryPoint) -> None:
        manifest = Manifest.from_file(manifest_path_for_module(ep.module))
        if manifest.domain != ep.name:
            raise IntegrationError(
                f"entry point {ep.name!r} points at an integration whose manifest says "
                f"domain {manifest.domain!r}; they must match"
            )
        module = ep.load()
        dist = ep.dist
        self.register(
            module,
            manifest,
            distribution=dist.name if dist else None,
            distribution_version=dist.version if dist else None,
        )

    def register(
        self,
        plugin: ModuleType | object,
        manifest: Manifest,
        *,
        distribution: str | None = None,
        distribution_version: str | None = None,
    ) -> None:
        """Register a plugin object under its manifest's domain."""
        name = manifest.domain
        if name in self._info:
            raise IntegrationError(f"a plugin named {name!r} is already registered")
        self._pm.register(plugin, name=name)
        hooks = tuple(sorted(h.name for h in self._pm.get_hookcallers(plugin) or ()))
        self._info[name] = PluginInfo(
            name=name,
            manifest=manifest,
            module=getattr(plugin, "__name__", type(plugin).__name__),
            distribution=distribution,
            distribution_version=distribution_version,
            hooks=hooks,
        )

    def unregister(self, name: str) -> None:
        """Remove a plugin."""
        self._pm.unregister(name=name)
        self._info.pop(name, None)

    def check_pending(self) -> None:
        """Refuse hook implementations that match no spec (misspelled hook names)."""
        try:
            self._pm.check_pending()
        except pluggy.PluginValidationError as err:
            raise IntegrationError(
                f"plugin {err.plugin!r}: {err}. Hook names are listed in "
                "docs/integration-authors/hooks.md"
            ) from err

    def enable_tracing(self) -> None:
        """Log every hook call and result (``FIELDHUB_TRACE_HOOKS=1``)."""
        if self._undo_trace is not None:
            return

        def before(hook_name: str, impls: Any, kwargs: Any) -> None:
            _LOGGER.info(
                "hook %s(%s) → %s", hook_name, ", ".join(kwargs), [i.plugin_name for i in impls]
            )

        def after(outcome: Any, hook_name: str, impls: Any, kwargs: Any) -> None:
            _LOGGER.info("hook %s returned %r", hook_name, outcome.get_result())

        self._undo_trace = self._pm.add_hookcall_monitoring(before, after)

    # -- queries -----------------------------------------------------------------------------
    def plugins(self) -> list[PluginInfo]:
        """Every registered plugin, by name."""
        return [self._info[name] for name in sorted(self._info)]

    def get(self, name: str) -> PluginInfo | None:
        """Plugin info by name."""
        return self._info.get(name)

    def names(self) -> list[str]:
        """Registered plugin names."""
        return sorted(self._info)

    def manifests(self) -> dict[str, Manifest]:
        """Manifests by domain."""
        return {name: info.manifest for name, info in self._info.items()}

    def implements(self, name: str, hook: str) -> bool:
        """True if plugin ``name`` implements ``hook``."""
        info = self._info.get(name)
        return info is not None and hook in info.hooks

    # -- calling -----------------------------------------------------------------------------
    def call(self, name: str, hook: str, **kwargs: Any) -> Any:
        """Call ``hook`` on plugin ``name`` only; return its result (None if not implemented)."""
        plugin = self._pm.get_plugin(name)
        if plugin is None:
            raise IntegrationError(f"no plugin named {name!r}")
        if not self.implements(name, hook):
            return None
        others = [p for n, p in self._pm.list_name_plugin() if n != name]
        caller = self._pm.subset_hook_caller(hook, remove_plugins=others)
        results = caller(**kwargs)
        return results[0] if results else None

    async def acall(self, name: str, hook: str, **kwargs: Any) -> Any:
        """:meth:`call`, awaiting an awaitable result."""
        return await await_me_maybe(self.call(name, hook, **kwargs))

    def collect(
        self, hook: str, **kwargs: Any
    ) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
        """Call a collecting hook on every plugin; return ``(plugin, args, kwargs)`` per item."""
        collected: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        for name in self.names():
            if not self.implements(name, hook):
                continue

            def register(*args: Any, _plugin: str = name, **kw: Any) -> None:
                collected.append((_plugin, args, kw))

            self.call(name, hook, register=register, **kwargs)
        return collected

    def plugins_implementing(self, hook: str) -> Iterable[str]:
        """Names of plugins that implement ``hook``."""
        return [n for n in self.names() if self.implements(n, hook)]
