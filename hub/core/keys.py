"""Typed keys for ``hub.data``: shared state without string keys."""

from __future__ import annotations

from typing import Any, Generic, TypeVar, cast

_T = TypeVar("_T")


class HubKey(Generic[_T]):
    """A typed key for :class:`HubData`; create one per module-level value."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<HubKey {self.name}>"


class HubData:
    """A mapping from :class:`HubKey` to values of the key's type."""

    def __init__(self) -> None:
        self._data: dict[HubKey[Any], Any] = {}

    def __getitem__(self, key: HubKey[_T]) -> _T:
        return cast(_T, self._data[key])

    def __setitem__(self, key: HubKey[_T], value: _T) -> None:
        self._data[key] = value

    def __delitem__(self, key: HubKey[Any]) -> None:
        del self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: HubKey[_T], default: _T | None = None) -> _T | None:
        """The value for ``key`` or ``default``."""
        return cast("_T | None", self._data.get(key, default))

    def setdefault(self, key: HubKey[_T], default: _T) -> _T:
        """Return the value for ``key``, storing ``default`` first if missing."""
        return cast(_T, self._data.setdefault(key, default))

    def pop(self, key: HubKey[_T], default: _T | None = None) -> _T | None:
        """Remove ``key`` and return its value."""
        return cast("_T | None", self._data.pop(key, default))
