"""Values read from YAML that remember where they were written.

Mappings, sequences and strings are returned as :class:`NodeDict`, :class:`NodeList`
and :class:`NodeStr`, each carrying ``__config_file__`` and ``__line__`` (1-based).
Numbers, booleans and ``None`` cannot carry attributes, so their containers record
a :class:`Location` for every key and value (or item) instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value was written; ``source`` is ``(tag, argument)`` for ``!secret``/``!env_var``."""

    file: Path | None
    line: int
    source: tuple[str, str] | None = None

    @property
    def secret(self) -> str | None:
        """Name of the secret this value came from, if any."""
        if self.source is not None and self.source[0] == "!secret":
            return self.source[1]
        return None


class NodeStr(str):
    """A string that knows its file and line."""

    __config_file__: Path | None
    __line__: int

    def __new__(cls, value: str, file: Path | None = None, line: int = 0) -> NodeStr:
        node = super().__new__(cls, value)
        node.__config_file__ = file
        node.__line__ = line
        return node


class NodeDict(dict[Any, Any]):
    """A mapping that knows its file and line, and the location of each key and value."""

    __config_file__: Path | None
    __line__: int

    def __init__(
        self,
        items: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = (),
        *,
        file: Path | None = None,
        line: int = 0,
    ) -> None:
        super().__init__(items)
        self.__config_file__ = file
        self.__line__ = line
        self._key_locations: dict[Any, Location] = {}
        self._value_locations: dict[Any, Location] = {}

    def set_item(self, key: Any, value: Any, key_at: Location, value_at: Location) -> None:
        """Store ``value`` under ``key`` together with where both were written."""
        self[key] = value
        self._key_locations[key] = key_at
        self._value_locations[key] = value_at

    def key_location(self, key: Any) -> Location | None:
        """Where ``key`` itself was written (``None`` for keys added later)."""
        return self._key_locations.get(key)

    def value_location(self, key: Any) -> Location | None:
        """Where the value of ``key`` was written."""
        return self._value_locations.get(key)


class NodeList(list[Any]):
    """A sequence that knows its file and line, and the location of each item."""

    __config_file__: Path | None
    __line__: int

    def __init__(
        self, items: Iterable[Any] = (), *, file: Path | None = None, line: int = 0
    ) -> None:
        super().__init__(items)
        self.__config_file__ = file
        self.__line__ = line
        self._item_locations: list[Location] = []

    def append_item(self, value: Any, at: Location) -> None:
        """Append ``value`` together with where it was written."""
        self.append(value)
        self._item_locations.append(at)

    def item_location(self, index: int) -> Location | None:
        """Where the item at ``index`` was written (``None`` once the list was changed)."""
        if len(self._item_locations) != len(self) or not 0 <= index < len(self):
            return None
        return self._item_locations[index]


def location_of(value: Any) -> Location | None:
    """The location a node carries itself, or ``None`` for plain values."""
    if isinstance(value, NodeDict | NodeList | NodeStr) and value.__line__ > 0:
        return Location(value.__config_file__, value.__line__)
    return None
