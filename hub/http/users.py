"""Users and tokens in the database: plain functions on a Session, shared by server and CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hub.core.errors import HubError
from hub.http.roles import Role
from hub.http.tables import LongLivedTokenRow, RefreshTokenRow, UserRow

REFRESH_PREFIX: Final = "fhr_"
LONG_LIVED_PREFIX: Final = "fhl_"
_NAME_RE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


class UserError(HubError):
    """A user or token operation that cannot be done (duplicate name, unknown user…)."""


@dataclass(frozen=True, slots=True)
class User:
    """A user of the hub. ``sites`` limits the user to those sites (empty: every site)."""

    id: str
    name: str
    role: Role
    sites: tuple[str, ...]
    created_at: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "sites": list(self.sites),
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A long-lived token's public description (never the secret)."""

    id: str
    name: str
    user: str
    created_at: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        return {
            "id": self.id,
            "name": self.name,
            "user": self.user,
            "created_at": self.created_at.isoformat(),
        }


def hash_secret(secret: str) -> str:
    """SHA-256 of a random token secret (256-bit secrets need no slow hash)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret_token(prefix: str) -> tuple[str, str, str]:
    """A fresh ``(key_id, token, secret_hash)``; the token is ``<prefix><key_id>.<secret>``."""
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return key_id, f"{prefix}{key_id}.{secret}", hash_secret(secret)


def split_token(token: str, prefix: str) -> tuple[str, str] | None:
    """``(key_id, secret)`` of a token with ``prefix``, or None if it is not one."""
    if not token.startswith(prefix):
        return None
    key_id, sep, secret = token[len(prefix) :].partition(".")
    if not sep or not key_id or not secret:
        return None
    return key_id, secret


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def user_from_row(row: UserRow) -> User:
    """The :class:`User` of a row."""
    return User(row.id, row.name, Role(row.role), tuple(row.sites or ()), _aware(row.created_at))


def validate_name(name: str) -> str:
    """``name`` if it is a valid user name (letters, digits, ``_.@-``; at most 64)."""
    if not _NAME_RE.match(name):
        raise UserError(
            f"invalid user name {name!r}: use letters, digits, '_', '.', '@' or '-' "
            "(at most 64 characters, starting with a letter or digit)"
        )
    return name


# -- users ------------------------------------------------------------------------------------
def add_user(
    session: Session,
    name: str,
    role: Role,
    password_hash: str | None,
    sites: Sequence[str] = (),
) -> User:
    """Insert a user; raise :class:`UserError` if the name is taken."""
    validate_name(name)
    if session.scalars(select(UserRow).where(UserRow.name == name)).first() is not None:
        raise UserError(f"user {name!r} already exists")
    row = UserRow(
        id=str(uuid.uuid4()),
        name=name,
        role=role.value,
        password_hash=password_hash,
        sites=list(sites),
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(row)
    session.flush()
    return user_from_row(row)


def list_users(session: Session) -> list[User]:
    """Every user, by name."""
    return [user_from_row(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]


def count_users(session: Session) -> int:
    """How many users exist."""
    return len(session.scalars(select(UserRow.id)).all())


def get_user(session: Session, name: str) -> User | None:
    """The user called ``name``."""
    row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
    return None if row is None else user_from_row(row)


def user_credentials(session: Session, name: str) -> tuple[User, str | None] | None:
    """``(user, password_hash)`` for ``name``, or None."""
    row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
    return None if row is None else (user_from_row(row), row.password_hash)


def remove_user(session: Session, name: str) -> User | None:
    """Delete a user and every token of theirs; return the removed user or None."""
    row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
    if row is None:
        return None
    user = user_from_row(row)
    session.execute(delete(RefreshTokenRow).where(RefreshTokenRow.user_id == row.id))
    session.execute(delete(LongLivedTokenRow).where(LongLivedTokenRow.user_id == row.id))
    session.delete(row)
    return user


# -- refresh tokens -----------------------------------------------------------------------------
def add_refresh_token(session: Session, user: User, client_name: str | None) -> tuple[str, str]:
    """Store a new refresh token for ``user``; return ``(key_id, token)``."""
    key_id, token, hashed = new_secret_token(REFRESH_PREFIX)
    session.add(
        RefreshTokenRow(id=key_id, user_id=user.id, token_hash=hashed, client_name=client_name)
    )
    return key_id, token


def check_refresh_token(session: Session, token: str) -> tuple[str, User] | None:
    """``(key_id, user)`` if ``token`` is a live refresh token."""
    return _check(session, token, REFRESH_PREFIX, RefreshTokenRow)


def remove_refresh_token(session: Session, key_id: str) -> bool:
    """Delete a refresh token; False if it did not exist."""
    result = session.execute(delete(RefreshTokenRow).where(RefreshTokenRow.id == key_id))
    return bool(getattr(result, "rowcount", 0))


# -- long-lived tokens ---------------------------------------------------------------------------
def add_long_lived_token(session: Session, user_name: str, label: str) -> tuple[TokenInfo, str]:
    """Create a long-lived token for ``user_name`` labelled ``label``; return it with its info."""
    row = session.scalars(select(UserRow).where(UserRow.name == user_name)).first()
    if row is None:
        raise UserError(f"no user named {user_name!r}")
    if not label or len(label) > 255:
        raise UserError("a token needs a name of 1 to 255 characters")
    taken = session.scalars(
        select(LongLivedTokenRow).where(
            LongLivedTokenRow.user_id == row.id, LongLivedTokenRow.name == label
        )
    ).first()
    if taken is not None:
        raise UserError(f"user {user_name!r} already has a token named {label!r}")
    key_id, token, hashed = new_secret_token(LONG_LIVED_PREFIX)
    created = dt.datetime.now(dt.UTC)
    session.add(
        LongLivedTokenRow(
            id=key_id, user_id=row.id, name=label, token_hash=hashed, created_at=created
        )
    )
    return TokenInfo(key_id, label, user_name, created), token


def check_long_lived_token(session: Session, token: str) -> tuple[str, User] | None:
    """``(key_id, user)`` if ``token`` is a live long-lived token."""
    return _check(session, token, LONG_LIVED_PREFIX, LongLivedTokenRow)


def list_long_lived_tokens(session: Session, user_name: str | None = None) -> list[TokenInfo]:
    """Long-lived tokens (of one user, or all), by user and name."""
    query = select(LongLivedTokenRow, UserRow.name).join(
        UserRow, UserRow.id == LongLivedTokenRow.user_id
    )
    if user_name is not None:
        query = query.where(UserRow.name == user_name)
    rows = session.execute(query.order_by(UserRow.name, LongLivedTokenRow.name)).all()
    return [TokenInfo(t.id, t.name, user, _aware(t.created_at)) for t, user in rows]


def remove_long_lived_token(
    session: Session,
    *,
    key_id: str | None = None,
    user_name: str | None = None,
    label: str | None = None,
) -> TokenInfo | None:
    """Delete a long-lived token by id, or by user and label; return what was removed."""
    query = select(LongLivedTokenRow, UserRow.name).join(
        UserRow, UserRow.id == LongLivedTokenRow.user_id
    )
    if key_id is not None:
        query = query.where(LongLivedTokenRow.id == key_id)
    elif user_name is not None and label is not None:
        query = query.where(UserRow.name == user_name, LongLivedTokenRow.name == label)
    else:
        raise UserError("give a token id, or a user and a token name")
    found = session.execute(query).first()
    if found is None:
        return None
    row, user = found
    session.delete(row)
    return TokenInfo(row.id, row.name, user, _aware(row.created_at))


def _check(
    session: Session,
    token: str,
    prefix: str,
    table: type[RefreshTokenRow] | type[LongLivedTokenRow],
) -> tuple[str, User] | None:
    parts = split_token(token, prefix)
    if parts is None:
        return None
    key_id, secret = parts
    found = session.execute(
        select(table.token_hash, UserRow)
        .join(UserRow, UserRow.id == table.user_id)
        .where(table.id == key_id)
    ).first()
    if found is None:
        return None
    token_hash, user_row = found
    if not hmac.compare_digest(token_hash, hash_secret(secret)):
        return None
    return key_id, user_from_row(user_row)
