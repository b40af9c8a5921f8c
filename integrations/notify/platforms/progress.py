"""Remembering which parts of a multi-request delivery already went out, across retries."""

from __future__ import annotations

from collections import OrderedDict

_KEEP = 1000


class Progress:
    """Per delivery id, the set of request keys already sent (bounded, oldest dropped)."""

    def __init__(self) -> None:
        self._done: OrderedDict[str, set[str]] = OrderedDict()

    def done(self, delivery_id: str, key: str) -> bool:
        """True if ``key`` was sent for ``delivery_id``."""
        return key in self._done.get(delivery_id, ())

    def mark(self, delivery_id: str, key: str) -> None:
        """Record that ``key`` was sent."""
        self._done.setdefault(delivery_id, set()).add(key)
        self._done.move_to_end(delivery_id)
        while len(self._done) > _KEEP:
            self._done.popitem(last=False)

    def finish(self, delivery_id: str) -> None:
        """Forget a delivery that completed."""
        self._done.pop(delivery_id, None)


def split_text(text: str, limit: int) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` characters, at whitespace if possible.

    With more than one part each starts with ``(i/n) ``, counted within the limit.
    """
    if len(text) <= limit:
        return [text]
    budget = limit - len("(99/99) ")
    parts: list[str] = []
    rest = text
    while rest:
        if len(rest) <= budget:
            parts.append(rest)
            break
        cut = rest.rfind(" ", budget // 2, budget + 1)
        cut = cut if cut > 0 else budget
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [f"({i}/{len(parts)}) {part}" for i, part in enumerate(parts, 1)]
