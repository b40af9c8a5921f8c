"""User roles and what each may do."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Role(StrEnum):
    """A user's role. Each role may do everything the roles below it may."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"


_RANK: Final = {Role.VIEWER: 0, Role.OPERATOR: 1, Role.ADMIN: 2}

DEVICE_ROUTE: Final = "device"
"""Route role for endpoints that authenticate devices themselves (no user token)."""

PUBLIC_ROUTE: Final = "public"
"""Route role for endpoints anybody may call (login, token refresh, the OpenAPI document)."""

ROUTE_ROLES: Final = frozenset({*(r.value for r in Role), DEVICE_ROUTE, PUBLIC_ROUTE})


def role_allows(have: Role, need: Role) -> bool:
    """True if a user with role ``have`` may do what needs role ``need``."""
    return _RANK[have] >= _RANK[need]
