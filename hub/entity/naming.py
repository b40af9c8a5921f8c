"""Turning names into object ids."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, fallback: str = "unnamed") -> str:
    """``"Tank 1 — Level (%)"`` → ``"tank_1_level"``."""
    normalized = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("_", normalized.lower()).strip("_")
    return slug or fallback
