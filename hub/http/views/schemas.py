"""JSON schemas shared by the core routes' OpenAPI operations."""

from __future__ import annotations

from typing import Any, Final

STATE: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["entity_id", "state", "attributes", "last_changed", "last_updated"],
    "properties": {
        "entity_id": {"type": "string"},
        "state": {"type": "string"},
        "attributes": {"type": "object"},
        "last_changed": {"type": "string", "format": "date-time"},
        "last_updated": {"type": "string", "format": "date-time"},
        "last_reported": {"type": "string", "format": "date-time"},
        "context": {"type": "object"},
    },
}
STATE_LIST: Final[dict[str, Any]] = {"type": "array", "items": STATE}
OBJECT: Final[dict[str, Any]] = {"type": "object"}
MESSAGE: Final[dict[str, Any]] = {
    "type": "object",
    "properties": {"message": {"type": "string"}},
}
USER: Final[dict[str, Any]] = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "role": {"enum": ["admin", "operator", "viewer"]},
        "sites": {"type": "array", "items": {"type": "string"}},
        "created_at": {"type": "string", "format": "date-time"},
    },
}
TOKEN_INFO: Final[dict[str, Any]] = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "user": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
    },
}
