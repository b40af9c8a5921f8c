"""Late readings for integrations: history rows at their own time, live state untouched."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hub.recorder.recorder import RECORDER

if TYPE_CHECKING:
    from hub.core.hub import Hub


def record_state_at(
    hub: Hub, entity_id: str, state: str, attributes: Mapping[str, Any] | None, timestamp: float
) -> bool:
    """Store a reading measured at ``timestamp`` (a device replaying its offline buffer).

    The live state is not touched and no event is fired. Returns False when the hub runs
    without a recorder, so the reading goes nowhere.
    """
    recorder = hub.data.get(RECORDER)
    if recorder is None:
        return False
    recorder.record_state_at(entity_id, state, attributes, timestamp)
    return True
