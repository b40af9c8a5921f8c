"""Keeping secrets out of logs, the delivery log and API responses."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .const import REDACTED

LOGGER = logging.getLogger("integrations.notify")
"""The one logger of the integration; its records pass through :class:`RedactingFilter`."""

SECRET_KEY = re.compile(r"(password|secret|token|key|auth|sid)", re.IGNORECASE)
_MIN_SECRET = 4
_WHSEC = "whsec_"


def secret_values(options: Any, *, key: str = "") -> set[str]:
    """Every string under a secret-looking key in ``options`` (recursively)."""
    found: set[str] = set()
    if isinstance(options, Mapping):
        for sub_key, value in options.items():
            found |= secret_values(value, key=str(sub_key))
    elif isinstance(options, list | tuple):
        for item in options:
            found |= secret_values(item, key=key)
    elif isinstance(options, str) and SECRET_KEY.search(key) and len(options) >= _MIN_SECRET:
        found.add(str(options))
        if options.startswith(_WHSEC) and len(options) - len(_WHSEC) >= _MIN_SECRET:
            found.add(str(options[len(_WHSEC) :]))
    return found


def tagged_secrets(node: Any) -> set[str]:
    """Every string in a YAML tree that was written as ``!secret name``.

    Works on the annotated nodes of the configuration loader, whose containers tell where
    (and from which tag) each value came.
    """
    found: set[str] = set()
    if isinstance(node, Mapping):
        where = getattr(node, "value_location", None)
        for key, value in node.items():
            location = where(key) if where is not None else None
            if isinstance(value, str) and getattr(location, "secret", None):
                found.add(str(value))
            found |= tagged_secrets(value)
    elif isinstance(node, list | tuple):
        where = getattr(node, "item_location", None)
        for index, value in enumerate(node):
            location = where(index) if where is not None else None
            if isinstance(value, str) and getattr(location, "secret", None):
                found.add(str(value))
            found |= tagged_secrets(value)
    return found


class Redactor:
    """Replaces known secret strings with ``**REDACTED**``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        """Learn more secrets."""
        self._secrets |= {s for s in secrets if len(s) >= _MIN_SECRET}
        ordered = sorted(self._secrets, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __call__(self, text: str) -> str:
        """``text`` with every secret replaced."""
        if self._pattern is None:
            return text
        return self._pattern.sub(REDACTED, text)

    def mapping(self, value: Any) -> Any:
        """A JSON-like value with secrets redacted in every string."""
        if isinstance(value, Mapping):
            return {str(k): self.mapping(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.mapping(v) for v in value]
        if isinstance(value, str):
            return self(value)
        return value


class RedactingFilter(logging.Filter):
    """Redacts a record's formatted message before any handler sees it."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message in place; never drops a record."""
        record.msg = self._redactor(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record.msg += f" ({type(error).__name__}: {self._redactor(str(error))})"
            record.exc_info = None
            record.exc_text = None
        return True
