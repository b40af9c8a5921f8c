"""Routing of received topics to handlers: exact topics by dict, wildcards by a trie.

A topic's handler list is resolved once and cached until the subscriptions change, so a
message costs one dict lookup however many entities and wildcards are registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import MessageHandler

MAX_CACHED_TOPICS = 200_000


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    handlers: list[MessageHandler] = field(default_factory=list)


def is_wildcard(topic_filter: str) -> bool:
    """True if ``topic_filter`` contains ``+`` or ``#``."""
    return "+" in topic_filter or "#" in topic_filter


def topic_matches(topic_filter: str, topic: str) -> bool:
    """MQTT matching of one topic against one filter (``$`` topics skip leading wildcards)."""
    if topic_filter == topic:
        return True
    if topic.startswith("$") and topic_filter[:1] in ("+", "#"):
        return False
    f_levels = topic_filter.split("/")
    t_levels = topic.split("/")
    for i, level in enumerate(f_levels):
        if level == "#":
            return True
        if i >= len(t_levels):
            return False
        if level not in ("+", t_levels[i]):
            return False
    return len(f_levels) == len(t_levels)


class TopicRouter:
    """Handlers by topic filter; :meth:`handlers_for` resolves a concrete topic."""

    def __init__(self) -> None:
        self._exact: dict[str, list[MessageHandler]] = {}
        self._root = _Node()
        self._wildcards = 0
        self._cache: dict[str, tuple[MessageHandler, ...]] = {}

    def add(self, topic_filter: str, handler: MessageHandler) -> Callable[[], None]:
        """Route messages matching ``topic_filter`` to ``handler``; return the remover."""
        self._cache.clear()
        if is_wildcard(topic_filter):
            node = self._root
            for level in topic_filter.split("/"):
                node = node.children.setdefault(level, _Node())
            node.handlers.append(handler)
            self._wildcards += 1
        else:
            self._exact.setdefault(topic_filter, []).append(handler)

        def remove() -> None:
            self._remove(topic_filter, handler)

        return remove

    def _remove(self, topic_filter: str, handler: MessageHandler) -> None:
        self._cache.clear()
        if not is_wildcard(topic_filter):
            handlers = self._exact.get(topic_filter)
            if handlers and handler in handlers:
                handlers.remove(handler)
                if not handlers:
                    del self._exact[topic_filter]
            return
        path = [self._root]
        levels = topic_filter.split("/")
        for level in levels:
            child = path[-1].children.get(level)
            if child is None:
                return
            path.append(child)
        if handler not in path[-1].handlers:
            return
        path[-1].handlers.remove(handler)
        self._wildcards -= 1
        for level, parent, node in zip(
            reversed(levels), reversed(path[:-1]), reversed(path[1:]), strict=True
        ):
            if node.handlers or node.children:
                break
            del parent.children[level]

    def handlers_for(self, topic: str) -> tuple[MessageHandler, ...]:
        """Every handler whose filter matches ``topic``."""
        cached = self._cache.get(topic)
        if cached is not None:
            return cached
        found = list(self._exact.get(topic, ()))
        if self._wildcards:
            self._walk(self._root, topic.split("/"), 0, found, topic.startswith("$"))
        result = tuple(found)
        if len(self._cache) >= MAX_CACHED_TOPICS:
            self._cache.clear()
        self._cache[topic] = result
        return result

    def _walk(
        self, node: _Node, levels: list[str], i: int, found: list[MessageHandler], system: bool
    ) -> None:
        hash_node = node.children.get("#")
        if hash_node is not None and not (system and i == 0):
            found.extend(hash_node.handlers)
        if i == len(levels):
            found.extend(node.handlers)
            return
        child = node.children.get(levels[i])
        if child is not None:
            self._walk(child, levels, i + 1, found, system)
        plus = node.children.get("+")
        if plus is not None and not (system and i == 0):
            self._walk(plus, levels, i + 1, found, system)
