"""The ``hub`` command line: run, check-config, plugins, registry, and plugin commands."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hub import __version__

DEFAULT_CONFIG_DIR = Path("config")
_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def _add_config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-c",
        "--config",
        type=Path,
        default=DEFAULT_CONFIG_DIR,
        metavar="DIR",
        help="configuration directory (default: ./config)",
    )


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


# -- run ------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    """Start the hub and run until SIGINT/SIGTERM."""
    from hub.config.errors import ConfigError
    from hub.core.bootstrap import run

    _setup_logging(args.verbose)
    config_dir: Path = args.config
    try:
        return asyncio.run(run(config_dir))
    except ConfigError as err:
        print("\n".join(err.format()), file=sys.stderr)
        print(f"Configuration in {config_dir} is invalid; nothing was started.", file=sys.stderr)
        return 1


# -- check-config -----------------------------------------------------------------------------
def cmd_check_config(args: argparse.Namespace) -> int:
    """Validate the configuration without starting anything."""
    from hub.config.errors import ConfigError
    from hub.core.bootstrap import load_plugins, read_config
    from hub.core.errors import IntegrationError

    try:
        plugins = load_plugins()
        read_config(args.config, plugins)
    except ConfigError as err:
        print("\n".join(err.format()), file=sys.stderr)
        return 1
    except IntegrationError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"Configuration in {args.config} is valid.")
    return 0


# -- plugins ------------------------------------------------------------------------------------
def cmd_plugins(args: argparse.Namespace) -> int:
    """List installed plugins with their versions and hooks."""
    from hub.core.bootstrap import load_plugins
    from hub.core.errors import IntegrationError

    try:
        plugins = load_plugins()
    except IntegrationError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    infos = [p.as_dict() for p in plugins.plugins()]
    if args.json:
        print(json.dumps(infos, indent=2))
        return 0
    for info in infos:
        print(f"{info['name']} {info['version']} ({info['module']})")
        for hook in info["hooks"]:
            print(f"    {hook}")
    return 0


# -- registry -----------------------------------------------------------------------------------
def cmd_registry_orphans(args: argparse.Namespace) -> int:
    """List (and with --remove delete) registry entries no configured integration provides."""
    from hub.config.errors import ConfigError
    from hub.core.bootstrap import load_plugins, read_config
    from hub.core.hub import Hub

    plugins = load_plugins()
    try:
        config = read_config(args.config, plugins)
    except ConfigError as err:
        print("\n".join(err.format()), file=sys.stderr)
        return 1
    provided = [d for d in config.sections if d in plugins.names()]
    recorder = config.sections.get("recorder") or {}

    async def work() -> int:
        hub = Hub(args.config, db_url=recorder.get("db_url"), plugins=plugins)
        await hub.start_core()
        try:
            orphans = hub.entity_registry.orphans(provided)
            for entry in orphans:
                print(f"{entry.entity_id}\t{entry.integration}\t{entry.unique_id}")
            if not orphans:
                print("No orphaned registry entries.")
            elif args.remove:
                removed = await hub.entity_registry.remove([e.entity_id for e in orphans])
                print(f"Removed {removed} entries.")
        finally:
            await hub.stop()
        return 0

    return asyncio.run(work())


# -- reload -------------------------------------------------------------------------------------
def cmd_reload(args: argparse.Namespace) -> int:
    """Ask the running hub to reload one integration (through its REST API)."""
    from hub.cli_client import call_service

    return call_service(args, "hub", "reload", {"domain": args.domain})


def build_parser(plugin_commands: list[tuple[str, str, Any, Any]]) -> argparse.ArgumentParser:
    """The argument parser, including commands contributed by plugins."""
    parser = argparse.ArgumentParser(prog="hub", description="Fieldhub automation hub")
    parser.add_argument("--version", action="version", version=f"fieldhub {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="start the hub")
    _add_config_arg(p)
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check-config", help="validate the configuration and exit")
    _add_config_arg(p)
    p.set_defaults(func=cmd_check_config)

    p = sub.add_parser("plugins", help="list installed plugins and their hooks")
    _add_config_arg(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_plugins)

    p = sub.add_parser("registry", help="entity registry maintenance")
    reg_sub = p.add_subparsers(dest="registry_command", metavar="COMMAND", required=True)
    o = reg_sub.add_parser("orphans", help="list entries no configured integration provides")
    _add_config_arg(o)
    o.add_argument("--remove", action="store_true", help="delete the listed entries")
    o.set_defaults(func=cmd_registry_orphans)

    p = sub.add_parser("reload", help="reload one integration in the running hub")
    _add_config_arg(p)
    p.add_argument("domain", help="integration domain, e.g. tank_node")
    _add_client_args(p)
    p.set_defaults(func=cmd_reload)

    _add_builtin_groups(sub)
    groups: dict[str, Any] = {}
    for name, help_text, configure, run_fn in plugin_commands:
        target = sub
        parts = name.split()
        for group in parts[:-1]:
            if group not in groups:
                gp = sub.add_parser(group, help=f"{group} commands")
                groups[group] = gp.add_subparsers(dest=f"{group}_command", metavar="COMMAND")
                groups[group].required = True
            target = groups[group]
        cp = target.add_parser(parts[-1], help=help_text)
        configure(cp)
        cp.set_defaults(func=_wrap_plugin_command(run_fn))
    return parser


def _add_client_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="hub URL (default: from the http: section)")
    parser.add_argument("--token", help="access token (default: $FIELDHUB_TOKEN)")


def _add_builtin_groups(sub: Any) -> None:
    """Commands of core packages that register themselves (users, tokens)."""
    try:
        from hub.http.cli_commands import add_commands
    except ImportError:
        return
    add_commands(sub, _add_config_arg)


def _wrap_plugin_command(run_fn: Callable[[argparse.Namespace], Any]) -> Callable[..., int]:
    def runner(args: argparse.Namespace) -> int:
        result = run_fn(args)
        if inspect.iscoroutine(result):
            result = asyncio.run(result)
        return int(result or 0)

    return runner


def _plugin_commands() -> list[tuple[str, str, Any, Any]]:
    from hub.core.errors import IntegrationError
    from hub.plugins.manager import PluginManager

    try:
        plugins = PluginManager()
        plugins.load_entry_points()
    except IntegrationError as err:
        print(f"warning: plugins not loaded: {err}", file=sys.stderr)
        return []
    commands = []
    for _plugin, args, _kwargs in plugins.collect("fieldhub_register_cli_commands"):
        name, help_text, configure, run_fn = args
        commands.append((name, help_text, configure, run_fn))
    return commands


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``hub`` command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    builtin = {"run", "check-config", "plugins", "registry", "--version", "-h", "--help"}
    plugin_cmds = [] if argv and argv[0] in builtin else _plugin_commands()
    parser = build_parser(plugin_cmds)
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    return int(func(args))


if __name__ == "__main__":
    sys.exit(main())
