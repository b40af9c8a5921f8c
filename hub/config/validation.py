"""Validating one configuration section and turning voluptuous errors into issues.

Each error's path is walked through the annotated nodes to the line to fix: the key's
line for an unknown key, the value's line otherwise. Messages are rewritten to say
what was found and what to write instead; unknown keys get a "did you mean".
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import voluptuous as vol

from hub.config.cv import describe
from hub.config.errors import ConfigError, ConfigIssue
from hub.config.nodes import Location, NodeDict, NodeList, location_of

_EXTRA_KEY = "extra keys not allowed"
_REQUIRED_KEY = "required key not provided"
_EXPECTED = {
    "float": "a number",
    "int": "a whole number",
    "str": "text",
    "bool": "true or false",
    "dict": "a mapping",
    "a dictionary": "a mapping",
    "list": "a list",
    "a list": "a list",
}
_ADD_FOUND = ("value must be", "not a valid value", "length of value must be")
_QUOTE_HINT = {
    bool: " (YAML reads on/off/yes/no as true/false); wrap the value in quotes",
    int: "; wrap the value in quotes",
    float: "; wrap the value in quotes",
}


@dataclass(frozen=True, slots=True)
class _Found:
    location: Location | None
    value: Any
    reached: bool
    secret: str | None


def validate_section(
    domain: str,
    schema: Callable[[Any], Any],
    value: Any,
    *,
    location: Location | None = None,
) -> Any:
    """Validate ``value`` (the annotated YAML of ``domain``) with ``schema``.

    ``location`` is where the section's value was written, used when an error has no
    annotated node of its own (an empty section, for example). Returns the validated
    value; raises :class:`ConfigError` listing every problem.
    """
    try:
        return schema(value)
    except vol.Invalid as err:
        issues: list[ConfigIssue] = []
        for error in _flatten(err):
            issue = invalid_to_issue(domain, schema, value, error, location=location)
            if issue not in issues:
                issues.append(issue)
        raise ConfigError(issues) from None


def invalid_to_issue(
    domain: str,
    schema: Any,
    value: Any,
    error: vol.Invalid,
    *,
    location: Location | None = None,
) -> ConfigIssue:
    """Turn one voluptuous error on ``value`` into a located, readable issue."""
    path = [_plain_key(part) for part in error.path]
    message = str(error.msg)
    is_extra = message == _EXTRA_KEY and bool(path)
    is_required = message == _REQUIRED_KEY and bool(path)
    found = _walk(value, path, key_line=is_extra, fallback=location)
    if is_extra:
        message = _unknown_key(path[-1], _known_keys(schema, path[:-1]))
    elif is_required:
        message = f"required key {_quote(path[-1])} is missing"
    elif found.reached:
        message = _with_found(message, found.value)
    if found.secret is not None and not (is_extra or is_required):
        message = _redact(message, found)
    shown = path[:-1] if is_extra or is_required else path
    where = found.location
    return ConfigIssue(
        where.file if where else None,
        where.line if where else None,
        (domain, *(_path_part(part) for part in shown)),
        message,
    )


def _flatten(error: vol.Invalid) -> Iterator[vol.Invalid]:
    if isinstance(error, vol.MultipleInvalid):
        for inner in error.errors:
            yield from _flatten(inner)
    else:
        yield error


def _plain_key(part: Hashable) -> Hashable:
    return part.schema if isinstance(part, vol.Marker) else part


def _path_part(part: Hashable) -> str | int:
    if isinstance(part, int) and not isinstance(part, bool):
        return part
    return str(part)


def _quote(key: Hashable) -> str:
    return repr(str(key)) if isinstance(key, str) else str(key)


def _walk(
    root: Any, path: Sequence[Hashable], *, key_line: bool, fallback: Location | None
) -> _Found:
    location = fallback or location_of(root)
    secret = location.secret if location else None
    node = root
    for index, part in enumerate(path):
        last = index == len(path) - 1
        at: Location | None
        if isinstance(node, dict) and part in node:
            if isinstance(node, NodeDict):
                at = node.key_location(part) if last and key_line else node.value_location(part)
            else:
                at = location_of(node[part])
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            at = node.item_location(part) if isinstance(node, NodeList) else None
            node = node[part]
        else:
            return _Found(location, None, False, secret)
        location = at or location_of(node) or location
        if at is not None and at.secret is not None:
            secret = at.secret
    return _Found(location, node, True, secret)


def _unwrap(schema: Any) -> Iterator[Any]:
    if isinstance(schema, vol.Schema):
        yield from _unwrap(schema.schema)
    elif isinstance(schema, vol.All | vol.Any):
        for inner in schema.validators:
            yield from _unwrap(inner)
    else:
        yield schema


def _accepts(validator: Any, part: Hashable) -> bool:
    """True if a validator key (such as ``cv.slug`` in ``{cv.slug: ALERT}``) accepts ``part``."""
    if isinstance(validator, type) or not callable(validator):
        return False
    try:
        validator(part)
    except (vol.Invalid, ValueError, TypeError):
        return False
    return True


def _children(schema: Any, part: Hashable) -> Iterator[Any]:
    for inner in _unwrap(schema):
        if isinstance(inner, dict):
            literal = [child for key, child in inner.items() if _plain_key(key) == part]
            if literal:
                yield from literal
                continue
            for key, child in inner.items():
                if _accepts(_plain_key(key), part):
                    yield child
        elif isinstance(inner, list) and isinstance(part, int):
            yield from inner


def _known_keys(schema: Any, path: Sequence[Hashable]) -> list[str]:
    level = [schema]
    for part in path:
        level = [child for node in level for child in _children(node, part)]
    keys: list[str] = []
    for node in level:
        for inner in _unwrap(node):
            if isinstance(inner, dict):
                for key in map(_plain_key, inner):
                    if isinstance(key, str) and key not in keys:
                        keys.append(key)
    return keys


def _unknown_key(key: Hashable, known: list[str]) -> str:
    message = f"unknown key {_quote(key)}"
    close = difflib.get_close_matches(str(key), known, n=1)
    if close:
        return f"{message} (did you mean '{close[0]}'?)"
    if known:
        return f"{message}; valid keys: {', '.join(known)}"
    return message


def _with_found(message: str, value: Any) -> str:
    expected = message.removeprefix("expected ")
    if expected != message and expected in _EXPECTED:
        hint = _QUOTE_HINT.get(type(value), "") if expected == "str" else ""
        return f"expected {_EXPECTED[expected]}, got {describe(value)}{hint}"
    if message.startswith(_ADD_FOUND):
        return f"{message}, got {describe(value)}"
    return message


def _redact(message: str, found: _Found) -> str:
    generic = f"invalid value from !secret {found.secret}"
    found_at = message.find(f"got {describe(found.value)}") if found.reached else -1
    if found_at < 0:
        return generic
    message = f"{message[:found_at]}got the value of !secret {found.secret}"
    text = found.value if isinstance(found.value, str) else describe(found.value)
    return generic if str(text) in message else message
