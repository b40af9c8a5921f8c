"""The logbook: recorded state changes and notable events as sentences people read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from hub.core.jsonutil import loads
from hub.core.state import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from hub.recorder.codec import bytes_to_ulid
from hub.recorder.history import iso, load_attributes, metadata_ids
from hub.recorder.schema import EventData, Events, EventTypes, States

LOGBOOK_EVENTS = (
    "automation_triggered",
    "hub_started",
    "hub_stop",
    "alert_changed",
    "device_registered",
    "device_removed",
)


def describe_state(state: str | None) -> str:
    """``turned on``, ``became unavailable``, ``changed to 42``…"""
    if state == STATE_ON:
        return "turned on"
    if state == STATE_OFF:
        return "turned off"
    if state == STATE_UNAVAILABLE:
        return "became unavailable"
    if state == STATE_UNKNOWN:
        return "became unknown"
    return f"changed to {state}"


def describe_event(event_type: str, data: dict[str, Any]) -> str:
    """A sentence for a logbook event."""
    if event_type == "automation_triggered":
        name = data.get("name") or data.get("entity_id") or "an automation"
        source = data.get("source")
        return f"{name} triggered" + (f" by {source}" if source else "")
    if event_type == "hub_started":
        return "Fieldhub started"
    if event_type == "hub_stop":
        return "Fieldhub stopped"
    if event_type == "device_registered":
        return f"device {data.get('name') or data.get('device_id')} added"
    if event_type == "device_removed":
        return f"device {data.get('name') or data.get('device_id')} removed"
    return event_type.replace("_", " ")


def _state_entries(
    conn: Connection, site_id: str, start: float, end: float, entity_ids: Sequence[str] | None
) -> list[dict[str, Any]]:
    meta = metadata_ids(conn, site_id, entity_ids)
    if not meta:
        return []
    by_meta = {meta_id: entity_id for entity_id, meta_id in meta.items()}
    rows = conn.execute(
        select(
            States.metadata_id,
            States.state,
            States.last_updated_ts,
            States.attributes_id,
            States.context_id_bin,
            States.context_user_id_bin,
        )
        .where(States.metadata_id.in_(by_meta))
        .where(States.last_updated_ts >= start, States.last_updated_ts < end)
        .where(States.last_changed_ts.is_(None))
        .order_by(States.last_updated_ts)
    ).all()
    attributes = load_attributes(conn, {row.attributes_id for row in rows if row.attributes_id})
    entries = []
    for row in rows:
        entity_id = by_meta[row.metadata_id]
        attrs = attributes.get(row.attributes_id, {}) if row.attributes_id else {}
        name = attrs.get("friendly_name") or entity_id.partition(".")[2].replace("_", " ")
        entries.append(
            {
                "when": iso(row.last_updated_ts),
                "entity_id": entity_id,
                "name": name,
                "state": row.state,
                "message": describe_state(row.state),
                "context_id": bytes_to_ulid(row.context_id_bin),
                "context_user_id": bytes_to_ulid(row.context_user_id_bin),
            }
        )
    return entries


def _event_entries(
    conn: Connection, site_id: str, start: float, end: float
) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            EventTypes.event_type,
            EventData.shared_data,
            Events.time_fired_ts,
            Events.context_id_bin,
            Events.context_user_id_bin,
        )
        .join(EventTypes, EventTypes.event_type_id == Events.event_type_id)
        .outerjoin(EventData, EventData.data_id == Events.data_id)
        .where(Events.site_id == site_id, EventTypes.event_type.in_(LOGBOOK_EVENTS))
        .where(Events.time_fired_ts >= start, Events.time_fired_ts < end)
    ).all()
    entries = []
    for event_type, shared, fired, context_id, user_id in rows:
        data = loads(shared) if shared else {}
        entries.append(
            {
                "when": iso(fired),
                "event_type": event_type,
                "name": data.get("name") or event_type,
                "entity_id": data.get("entity_id"),
                "message": describe_event(event_type, data),
                "context_id": bytes_to_ulid(context_id),
                "context_user_id": bytes_to_ulid(user_id),
            }
        )
    return entries


def get_logbook(
    conn: Connection,
    site_id: str,
    start: float,
    end: float,
    entity_ids: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """State changes (and, without an entity filter, notable events), oldest first."""
    entries = _state_entries(conn, site_id, start, end, entity_ids)
    if entity_ids is None:
        entries += _event_entries(conn, site_id, start, end)
    entries.sort(key=lambda entry: str(entry["when"]))
    return entries
