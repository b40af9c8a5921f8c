"""Authentication: password login, refresh and access tokens, long-lived tokens.

Access tokens are short-lived random strings kept in memory (a restart signs everybody out
of the access token, not of the refresh token). Refresh and long-lived tokens live hashed in
the database and are checked there on every use, so revoking one — from the API or from the
``hub token revoke`` command — takes effect at once.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

from hub.core.clock import Clock
from hub.database.database import Database
from hub.http import users as store
from hub.http.passwords import PasswordHasher
from hub.http.roles import Role
from hub.http.users import LONG_LIVED_PREFIX, REFRESH_PREFIX, TokenInfo, User, hash_secret

_R = TypeVar("_R")

ACCESS_PREFIX: Final = "fha_"
DEFAULT_ACCESS_LIFETIME: Final = 1800.0
_SWEEP_INTERVAL: Final = 60.0


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A short-lived access token and when it stops working (epoch seconds)."""

    token: str
    expires_at: float
    lifetime: float


@dataclass(frozen=True, slots=True)
class LoginResult:
    """What a successful login returns."""

    user: User
    access: AccessToken
    refresh_token: str


@dataclass(frozen=True, slots=True)
class _Grant:
    user: User
    expires_at: float
    refresh_id: str | None


class AuthManager:
    """Checks credentials and issues tokens for one hub."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        hasher: PasswordHasher,
        *,
        access_lifetime: float = DEFAULT_ACCESS_LIFETIME,
    ) -> None:
        self._db = db
        self._clock = clock
        self._hasher = hasher
        self.access_lifetime = access_lifetime
        self._grants: dict[str, _Grant] = {}
        self._last_sweep = 0.0

    # -- users -----------------------------------------------------------------------------
    async def add_user(
        self, name: str, role: Role, password: str | None, sites: Sequence[str] = ()
    ) -> User:
        """Create a user; the password is hashed in an executor."""
        hashed = None if password is None else await self._in_executor(self._hasher.hash, password)
        return await self._db.run(lambda s: store.add_user(s, name, role, hashed, sites))

    async def users(self) -> list[User]:
        """Every user."""
        return await self._db.run(store.list_users)

    async def user_count(self) -> int:
        """How many users exist."""
        return await self._db.run(store.count_users)

    async def remove_user(self, name: str) -> User | None:
        """Delete a user with all their tokens; their access tokens stop at once."""
        removed = await self._db.run(lambda s: store.remove_user(s, name))
        if removed is not None:
            self._drop_grants(lambda g: g.user.id == removed.id)
        return removed

    # -- login and tokens ------------------------------------------------------------------------
    async def login(self, name: str, password: str, client_name: str | None) -> LoginResult | None:
        """Check a password; on success issue an access and a refresh token."""
        found = await self._db.run(lambda s: store.user_credentials(s, name))
        hashed = None if found is None else found[1]
        ok = await self._in_executor(self._hasher.verify, password, hashed)
        if not ok or found is None or hashed is None:
            return None
        user = found[0]
        key_id, refresh = await self._db.run(
            lambda s: store.add_refresh_token(s, user, client_name)
        )
        return LoginResult(user, self.issue_access_token(user, key_id), refresh)

    async def refresh(self, refresh_token: str) -> tuple[User, AccessToken] | None:
        """A new access token for a live refresh token."""
        found = await self._db.run(lambda s: store.check_refresh_token(s, refresh_token))
        if found is None:
            return None
        key_id, user = found
        return user, self.issue_access_token(user, key_id)

    def issue_access_token(self, user: User, refresh_id: str | None = None) -> AccessToken:
        """Issue a short-lived access token for ``user``."""
        now = self._clock.time()
        self._sweep(now)
        token = ACCESS_PREFIX + secrets.token_urlsafe(32)
        expires = now + self.access_lifetime
        self._grants[hash_secret(token)] = _Grant(user, expires, refresh_id)
        return AccessToken(token, expires, self.access_lifetime)

    async def create_long_lived_token(self, user_name: str, label: str) -> tuple[TokenInfo, str]:
        """Create a long-lived token; the plaintext is returned once and never stored."""
        return await self._db.run(lambda s: store.add_long_lived_token(s, user_name, label))

    async def long_lived_tokens(self, user_name: str | None = None) -> list[TokenInfo]:
        """Long-lived tokens of one user (or of everybody)."""
        return await self._db.run(lambda s: store.list_long_lived_tokens(s, user_name))

    async def remove_long_lived_token(self, key_id: str) -> TokenInfo | None:
        """Delete a long-lived token by id."""
        return await self._db.run(lambda s: store.remove_long_lived_token(s, key_id=key_id))

    async def revoke(self, token: str) -> bool:
        """Revoke a refresh token (and its access tokens) or a long-lived token."""
        if token.startswith(ACCESS_PREFIX):
            return self._grants.pop(hash_secret(token), None) is not None
        if token.startswith(REFRESH_PREFIX):
            found = await self._db.run(lambda s: store.check_refresh_token(s, token))
            if found is None:
                return False
            key_id = found[0]
            self._drop_grants(lambda g: g.refresh_id == key_id)
            return await self._db.run(lambda s: store.remove_refresh_token(s, key_id))
        if token.startswith(LONG_LIVED_PREFIX):
            found = await self._db.run(lambda s: store.check_long_lived_token(s, token))
            if found is None:
                return False
            key_id = found[0]
            removed = await self._db.run(lambda s: store.remove_long_lived_token(s, key_id=key_id))
            return removed is not None
        return False

    async def authenticate(self, token: str) -> User | None:
        """The user a bearer token (access or long-lived) belongs to, or None."""
        if token.startswith(ACCESS_PREFIX):
            return self.check_access_token(token)
        if token.startswith(LONG_LIVED_PREFIX):
            found = await self._db.run(lambda s: store.check_long_lived_token(s, token))
            return None if found is None else found[1]
        return None

    def check_access_token(self, token: str) -> User | None:
        """The user of a live access token (no I/O)."""
        key = hash_secret(token)
        grant = self._grants.get(key)
        if grant is None:
            return None
        if grant.expires_at <= self._clock.time():
            del self._grants[key]
            return None
        return grant.user

    # -- internals -----------------------------------------------------------------------------
    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < _SWEEP_INTERVAL:
            return
        self._last_sweep = now
        self._drop_grants(lambda g: g.expires_at <= now)

    def _drop_grants(self, predicate: Callable[[_Grant], bool]) -> None:
        for key in [k for k, g in self._grants.items() if predicate(g)]:
            del self._grants[key]

    @staticmethod
    async def _in_executor(func: Callable[..., _R], *args: str | None) -> _R:
        return await asyncio.get_running_loop().run_in_executor(None, func, *args)
