"""``hub factory key create|list|revoke`` and ``hub sim factory``.

Key commands work on the configuration directory's database directly (hub stopped or
running: the running hub sees new keys after a restart; revocations made here apply to it
after a restart too, so prefer ``DELETE /api/factory/keys/{id}`` on a running hub).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from hub.api import Hub, load_simulator_module

from .keys import KeyManager

SIMULATOR = Path(__file__).resolve().parents[2] / "firmware" / "sim" / "factory_sim.py"
_MACHINE_ID = re.compile(r"^[a-z0-9_]+/[a-z0-9_]+/[a-z0-9_]+$")


def load_simulator(path: Path = SIMULATOR) -> ModuleType | None:
    """Import the simulator from a source checkout; None when it is not there."""
    return load_simulator_module("factory_sim", path)


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-c", "--config", default="config", help="configuration directory")


def configure_key(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``hub factory key``."""
    parser.add_argument("action", choices=["create", "list", "revoke"])
    parser.add_argument("--machine", help="SITE/AREA/MACHINE (create, list)")
    parser.add_argument("--key-id", help="key to revoke")
    parser.add_argument("--label", help="a label for the new key")
    _config_arg(parser)


async def run_key(args: argparse.Namespace) -> int:
    """Create, list or revoke machine ingest keys in the configuration's database."""
    if args.action == "create" and not (args.machine and _MACHINE_ID.match(args.machine)):
        print("error: --machine SITE/AREA/MACHINE (lowercase slugs) is required", file=sys.stderr)
        return 2
    if args.action == "revoke" and not args.key_id:
        print("error: --key-id is required", file=sys.stderr)
        return 2
    hub = Hub(Path(args.config))
    await hub.start_core()
    try:
        keys = KeyManager(hub)
        await keys.ensure_table()
        if args.action == "create":
            created = await keys.create(args.machine, args.label)
            print(f"key id: {created.info.key_id}")
            print(f"token (shown once): {created.token}")
        elif args.action == "list":
            for info in await keys.list([args.machine] if args.machine else None):
                state = "revoked" if info.revoked_ts else "active"
                print(f"{info.key_id}  {info.machine}  {state}  {info.label or ''}")
        else:
            revoked = await keys.revoke(args.key_id)
            if revoked is None:
                print(f"error: no key {args.key_id}", file=sys.stderr)
                return 1
            print(f"revoked {revoked.key_id} ({revoked.machine})")
    finally:
        await hub.stop()
    return 0


def configure_sim(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``hub sim factory``."""
    parser.add_argument("--machines", type=int, default=3, help="number of machines")
    parser.add_argument("--hub", help="push readings to this hub, e.g. http://127.0.0.1:8123")
    parser.add_argument(
        "--key-file", help="file with one 'SITE/AREA/MACHINE TOKEN' line per machine"
    )
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between readings")
    parser.add_argument("--batch", type=int, default=10, help="readings per request")
    parser.add_argument("--modbus-port", type=int, help="also serve a Modbus TCP PLC here")


async def run_sim(args: argparse.Namespace) -> int:
    """Run simulated machines until interrupted."""
    sim = load_simulator()
    if sim is None:
        print(f"error: the simulator was not found at {SIMULATOR}", file=sys.stderr)
        return 2
    code: int = await sim.main(args)
    return code


def register_commands(register: Callable[..., None]) -> None:
    """Register ``hub factory key`` and ``hub sim factory``."""
    register("factory key", "manage machine ingest API keys", configure_key, run_key)
    register("sim factory", "run simulated factory machines", configure_sim, run_sim)
