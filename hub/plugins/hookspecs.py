"""The Fieldhub plugin contract: every hook an integration may implement.

This module *is* the documentation of the extension API. An integration is a Python module
registered under the entry-point group ``fieldhub.integrations`` whose functions are marked
with :data:`hub.api.hookimpl` and named after the hooks below. First-party integrations load
through exactly the same door.

The manifest (``manifest.json`` beside the module) is read *before* the module is imported:
domain, name, version, dependencies, zeroconf service types and MQTT discovery topics come
from it, so the hub can build discovery matchers and an ordering without running plugin code.

**Sync and async.** pluggy calls hooks synchronously. Any hook below may instead return an
awaitable (define it with ``async def``); the plugin manager awaits it in one place
(``await_me_maybe`` in :mod:`hub.plugins.manager`). Hooks run on the event loop and must not
block it.

**Who is called.** Hooks marked *per-integration* are called on one integration only (the
one being set up, unloaded, or whose manifest matched a discovery), never broadcast.
Hooks marked *collecting* are called on every integration with a ``register`` callable; the
core owns the shape of what is collected and records which integration registered what.

**Names.** ``fieldhub_register_*`` declares things, ``fieldhub_setup``/``fieldhub_unload`` run
the lifecycle, ``fieldhub_*_discovered`` hand over discoveries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hub.plugins.markers import hookspec

if TYPE_CHECKING:
    from collections.abc import Callable

    from hub.core.hub import Hub
    from hub.discovery.models import MqttDiscoveryMessage, ZeroconfDiscovery


# ---------------------------------------------------------------------------------------------
# Declare: what the integration brings, read before anything is set up.
# ---------------------------------------------------------------------------------------------


@hookspec
def fieldhub_config_schema() -> Any:
    """Return the voluptuous schema of the integration's YAML section.

    *Per-integration.* Called when the configuration is loaded and on every reload, before
    any set-up. The schema validates the value under the integration's domain key in
    ``configuration.yaml``; errors are reported as ``file:line: domain → key: message`` and
    stop the hub from starting. Return ``None`` to accept the section unvalidated (not
    recommended). The same schema should validate discovery payloads the integration turns
    into configuration.

    :return: a ``voluptuous.Schema`` (or a validator callable), or ``None``.
    :consumer: :mod:`hub.config.loader`.

    .. versionadded:: 0.1
    """


@hookspec
def fieldhub_register_entity_platforms(register: Callable[[str, type], None]) -> None:
    """Declare new entity platforms (kinds of entity) beyond the core's.

    *Collecting.* Called once at start-up, before any integration is set up.
    ``register(platform, base_class)`` makes ``platform`` (e.g. ``"valve"``) a valid entity-id
    prefix whose entities derive from ``base_class`` (a subclass of :class:`hub.api.Entity`);
    the base class's ``platform_services`` become ``<platform>.<service>`` services.

    :param register: call once per platform.
    :consumer: :class:`hub.entity.manager.EntityManager`.

    .. versionadded:: 0.1
    """


@hookspec
def fieldhub_register_cli_commands(register: Callable[..., None]) -> None:
    """Add sub-commands to the ``hub`` command line.

    *Collecting.* Called when ``hub`` starts, before arguments are parsed.
    ``register(name, help, configure, run)``: ``configure(parser)`` adds arguments to an
    ``argparse`` sub-parser; ``run(args)`` returns the exit code (it may be a coroutine
    function, then it runs in a fresh event loop). A name may contain a space
    (``"sim tank-node"``) to nest under an existing group.

    :param register: call once per command.
    :consumer: :mod:`hub.cli`.

    .. versionadded:: 0.1
    """


# ---------------------------------------------------------------------------------------------
# Set up and unload: the integration's lifecycle on a running hub.
# ---------------------------------------------------------------------------------------------


@hookspec
def fieldhub_setup(hub: Hub, config: Any) -> Any:
    """Set the integration up: create entities, register services, start connections.

    *Per-integration.* Called once the integration's dependencies are set up, for every
    domain present in ``configuration.yaml`` (and for dependencies of those). ``config`` is
    the value validated by :func:`fieldhub_config_schema` (``None`` when the domain is set
    up only as a dependency). Long-lived work must be started with ``hub.create_task`` or
    entered with ``hub.enter`` so it stops with the hub. Raising marks the integration as
    failed (logged, plus a persistent "setup failed" notice); the rest of the hub starts.
    A set-up slower than ``hub: setup_warning_after`` is reported by name while the others go on.

    :param hub: the running hub.
    :param config: the validated configuration section, or ``None``.
    :return: nothing, or an awaitable.
    :consumer: :class:`hub.plugins.setup.IntegrationManager`.

    .. versionadded:: 0.1
    """


@hookspec
def fieldhub_unload(hub: Hub) -> Any:
    """Undo :func:`fieldhub_setup`: stop tasks, close connections, drop listeners.

    *Per-integration.* Called on ``hub reload <domain>`` (then set-up runs again with the
    re-read configuration), when the hub stops, and before the plugin is unregistered. The
    integration's entities are removed from the state machine by the core afterwards (their
    registry entries stay, so ids are kept); services registered under the integration's
    domain are removed by the core.

    :param hub: the running hub.
    :return: nothing, or an awaitable.
    :consumer: :class:`hub.plugins.setup.IntegrationManager`.

    .. versionadded:: 0.1
    """


# ---------------------------------------------------------------------------------------------
# Discovery: devices that announce themselves on the LAN or on MQTT.
# ---------------------------------------------------------------------------------------------


@hookspec
def fieldhub_zeroconf_discovered(hub: Hub, discovery: ZeroconfDiscovery) -> Any:
    """Handle an mDNS/zeroconf service of a type listed in the manifest's ``zeroconf``.

    *Per-integration.* Called by the core's zeroconf browser when a service of a listed type
    appears, changes its TXT records, or (with ``discovery.removed`` True) goes away. The
    integration typically records it as a discovered device that the user can pair.

    :param hub: the running hub.
    :param discovery: name, type, addresses, port and decoded TXT properties.
    :return: nothing, or an awaitable.
    :consumer: :mod:`hub.discovery.zeroconf_browser`.

    .. versionadded:: 0.1
    """


@hookspec
def fieldhub_mqtt_discovered(hub: Hub, message: MqttDiscoveryMessage) -> Any:
    """Handle a message on an MQTT topic filter listed in the manifest's ``mqtt``.

    *Per-integration.* Called by the MQTT integration for retained and live messages that
    match one of the manifest's topic filters (for example ``tasmota/discovery/#``).

    :param hub: the running hub.
    :param message: topic, payload bytes, retain flag.
    :return: nothing, or an awaitable.
    :consumer: :mod:`hub.discovery.mqtt_dispatch`.

    .. versionadded:: 0.1
    """


# ---------------------------------------------------------------------------------------------
# Automation platforms: triggers, conditions and actions usable in automations.yaml.
# ---------------------------------------------------------------------------------------------


@hookspec
def fieldhub_register_triggers(register: Callable[..., None]) -> None:
    """Add automation trigger platforms.

    *Collecting.* Called when the automation engine starts. ``register(platform, schema,
    attach)``: ``schema`` validates the trigger's YAML mapping (with ``platform``/``trigger``
    already removed); ``attach(hub, config, fire)`` starts watching and returns a callable
    that stops it; ``fire(variables)`` runs the automation with ``trigger`` variables.

    :param register: call once per trigger platform.
    :consumer: :mod:`hub.automation`.

    .. versionadded:: 0.1
    """


@hookspec
def fieldhub_register_conditions(register: Callable[..., None]) -> None:
    """Add automation condition platforms.

    *Collecting.* Called when the automation engine starts. ``register(condition, schema,
    build)``: ``build(hub, config)`` returns ``check(variables) -> bool``.

    :param register: call once per condition platform.
    :consumer: :mod:`hub.automation`.

    .. versionadded:: 0.1
    """


@hookspec
def fieldhub_register_actions(register: Callable[..., None]) -> None:
    """Add automation action types (beyond service calls, which need no hook).

    *Collecting.* Called when the automation engine starts. ``register(key, schema, run)``:
    an action mapping containing ``key`` is validated by ``schema`` and executed by
    ``await run(hub, config, variables)``.

    :param register: call once per action type.
    :consumer: :mod:`hub.automation`.

    .. versionadded:: 0.1
    """


# ---------------------------------------------------------------------------------------------
# Notify: where alerts and automations can send messages.
# ---------------------------------------------------------------------------------------------


@hookspec
def fieldhub_register_notify_platforms(register: Callable[..., None]) -> None:
    """Add notify target platforms (email, webhook, SMS, push…).

    *Collecting.* Called when the ``notify`` integration sets up. ``register(platform,
    schema, factory)``: a target configured with ``platform: <name>`` is validated by
    ``schema`` and built by ``factory(hub, config)``, which returns an object with
    ``async send(message)``.

    :param register: call once per platform.
    :consumer: the ``notify`` integration.

    .. versionadded:: 0.1
    """


# ---------------------------------------------------------------------------------------------
# HTTP and UI: REST views and panels served by the hub's web server.
# ---------------------------------------------------------------------------------------------


@hookspec
def fieldhub_register_http_views(hub: Hub, register: Callable[..., None]) -> None:
    """Add REST routes (and their OpenAPI description) to the hub's web server.

    *Collecting.* Called when the HTTP server starts, after integrations are set up.
    ``register(method, path, handler, *, role="viewer", openapi=None)``: ``handler`` is an
    aiohttp handler; ``role`` is the least role allowed (``viewer``, ``operator``,
    ``admin``) or ``"device"`` for routes that authenticate devices themselves; ``openapi``
    is the OpenAPI operation object added to ``/api/openapi.json``.

    :param hub: the running hub.
    :param register: call once per route.
    :consumer: :mod:`hub.http`.

    .. versionadded:: 0.1
    """


@hookspec
def fieldhub_register_ui_panels(register: Callable[..., None]) -> None:
    """Add pages to the web UI's navigation.

    *Collecting.* Called when the HTTP server starts. ``register(panel_id, title, icon,
    *, role="viewer")`` adds a navigation entry whose page the UI renders from the
    integration's REST routes.

    :param register: call once per panel.
    :consumer: :mod:`hub.http`.

    .. versionadded:: 0.1
    """
