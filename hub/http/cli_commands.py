"""``hub user …`` and ``hub token …``: manage users and long-lived tokens in the database.

They work on the database of the configuration directory directly (the recorder's
``db_url`` if configured, else ``fieldhub.db`` in the directory), so they also serve to
create the first administrator before the hub has ever started.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from hub.database.database import Database
from hub.database.engine import default_db_url
from hub.http import users as store
from hub.http.passwords import PasswordHasher
from hub.http.roles import Role
from hub.http.tables import ensure_tables

_T = TypeVar("_T")
MIN_PASSWORD = 8
AddConfigArg = Callable[[argparse.ArgumentParser], None]


def add_commands(subparsers: Any, add_config_arg: AddConfigArg) -> None:
    """Add the ``user`` and ``token`` command groups to the ``hub`` parser."""
    user = subparsers.add_parser("user", help="manage users")
    user_sub = user.add_subparsers(dest="user_command", metavar="COMMAND", required=True)

    p = user_sub.add_parser("add", help="create a user (password prompted or read from stdin)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument(
        "--site",
        dest="sites",
        action="append",
        default=[],
        metavar="SITE",
        help="limit the user to this site (repeat for several)",
    )
    add_config_arg(p)
    p.set_defaults(func=cmd_user_add)

    p = user_sub.add_parser("list", help="list users")
    add_config_arg(p)
    p.set_defaults(func=cmd_user_list)

    p = user_sub.add_parser("remove", help="remove a user and all their tokens")
    p.add_argument("name")
    add_config_arg(p)
    p.set_defaults(func=cmd_user_remove)

    token = subparsers.add_parser("token", help="manage long-lived tokens")
    token_sub = token.add_subparsers(dest="token_command", metavar="COMMAND", required=True)

    p = token_sub.add_parser("create", help="create a long-lived token (printed once)")
    p.add_argument("--user", required=True)
    p.add_argument("--name", required=True, help="a label, e.g. 'grafana'")
    add_config_arg(p)
    p.set_defaults(func=cmd_token_create)

    p = token_sub.add_parser("list", help="list long-lived tokens")
    p.add_argument("--user")
    add_config_arg(p)
    p.set_defaults(func=cmd_token_list)

    p = token_sub.add_parser("revoke", help="revoke a long-lived token")
    p.add_argument("token_id", nargs="?", help="the token id (see 'hub token list')")
    p.add_argument("--user")
    p.add_argument("--name")
    add_config_arg(p)
    p.set_defaults(func=cmd_token_revoke)


# -- database -----------------------------------------------------------------------------------
def database_url(config_dir: Path) -> str:
    """The recorder's ``db_url`` from the configuration, else the default SQLite file."""
    from hub.core.bootstrap import load_plugins, read_config

    if not (config_dir / "configuration.yaml").is_file():
        return default_db_url(config_dir)
    config = read_config(config_dir, load_plugins())
    recorder = config.sections.get("recorder") or {}
    url = recorder.get("db_url") if isinstance(recorder, dict) else None
    return str(url) if url else default_db_url(config_dir)


def _with_db(config_dir: Path, job: Callable[[Session], _T]) -> _T:
    from hub.config.errors import ConfigError

    try:
        url = database_url(config_dir)
    except ConfigError as err:
        raise SystemExit(f"{err.format()}\nConfiguration in {config_dir} is invalid.") from err
    config_dir.mkdir(parents=True, exist_ok=True)
    db = Database(url)
    try:
        db.open()
        ensure_tables(db.engine)
        return db.run_sync(job)
    finally:
        db.close()


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


# -- passwords ----------------------------------------------------------------------------------
def read_password() -> str:
    """Prompt twice on a terminal; otherwise read one line from stdin."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != first:
            raise ValueError("the passwords do not match")
        password = first
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")
    return password


# -- commands -----------------------------------------------------------------------------------
def cmd_user_add(args: argparse.Namespace) -> int:
    """Create a user."""
    try:
        store.validate_name(args.name)
        password = read_password()
    except (ValueError, store.UserError) as err:
        return _fail(str(err))
    hashed = PasswordHasher().hash(password)
    role = Role(args.role)
    try:
        user = _with_db(
            args.config, lambda s: store.add_user(s, args.name, role, hashed, args.sites)
        )
    except store.UserError as err:
        return _fail(str(err))
    print(f"Created {user.role.value} {user.name}.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    """List users."""
    users = _with_db(args.config, store.list_users)
    if not users:
        print("No users. Create one with: hub user add NAME --role admin")
    for user in users:
        sites = ",".join(user.sites) or "*"
        print(f"{user.name}\t{user.role.value}\tsites={sites}\t{user.created_at:%Y-%m-%d}")
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    """Remove a user."""
    removed = _with_db(args.config, lambda s: store.remove_user(s, args.name))
    if removed is None:
        return _fail(f"no user named {args.name!r}")
    print(f"Removed {removed.name} and their tokens.")
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    """Create a long-lived token; the token is printed alone on the last line."""
    try:
        info, token = _with_db(
            args.config, lambda s: store.add_long_lived_token(s, args.user, args.name)
        )
    except store.UserError as err:
        return _fail(str(err))
    print(f"Created token {info.name!r} (id {info.id}) for {info.user}; it is shown only once:")
    print(token)
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    """List long-lived tokens."""
    for info in _with_db(args.config, lambda s: store.list_long_lived_tokens(s, args.user)):
        print(f"{info.id}\t{info.user}\t{info.name}\t{info.created_at:%Y-%m-%d}")
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    """Revoke a long-lived token by id, or by user and name."""
    if args.token_id is None and (args.user is None or args.name is None):
        return _fail("give a token id, or --user and --name")
    removed = _with_db(
        args.config,
        lambda s: store.remove_long_lived_token(
            s, key_id=args.token_id, user_name=args.user, label=args.name
        ),
    )
    if removed is None:
        return _fail("no such token")
    print(f"Revoked token {removed.name!r} of {removed.user}.")
    return 0
