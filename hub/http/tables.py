"""SQL tables of users, refresh tokens and long-lived tokens (token secrets stored hashed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.database.base import Base


def utcnow() -> dt.datetime:
    """Aware UTC now."""
    return dt.datetime.now(dt.UTC)


class UserRow(Base):
    """A user: unique name, role, bcrypt password hash (None for token-only users)."""

    __tablename__ = "auth_users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    sites: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RefreshTokenRow(Base):
    """A refresh token issued at login; exchanged for short-lived access tokens."""

    __tablename__ = "auth_refresh_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("auth_users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64))
    client_name: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LongLivedTokenRow(Base):
    """A long-lived token for scripts and scrapers, labelled per user."""

    __tablename__ = "auth_long_lived_tokens"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("auth_users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


AUTH_TABLE_NAMES = (
    UserRow.__tablename__,
    RefreshTokenRow.__tablename__,
    LongLivedTokenRow.__tablename__,
)


def ensure_tables(engine: Engine) -> None:
    """Create the user and token tables if missing (blocking)."""
    tables = [Base.metadata.tables[name] for name in AUTH_TABLE_NAMES]
    Base.metadata.create_all(engine, tables=tables)
