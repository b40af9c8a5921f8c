"""The recorder's counters and gauges on the hub's metrics registry (``/api/metrics``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hub.core.metrics import GaugeFunction, hub_metrics

if TYPE_CHECKING:
    from hub.core.hub import Hub
    from hub.recorder.recorder import Recorder

_COUNTERS = {
    "states_written": "States committed to the database",
    "events_written": "Events committed to the database",
    "commits": "Recorder transactions committed",
    "commit_errors": "Recorder commits that failed and were retried",
    "overflow_episodes": "Times the recorder queue overflowed into coalescing",
    "states_coalesced": "Pending states replaced by a newer value of the same entity "
    "while the queue overflowed",
    "events_dropped": "Events not recorded because the overflow was full",
}
_GAUGES = {
    "queue_length": "Items waiting for the recorder's writer thread",
    "last_commit_seconds": "Duration of the last recorder commit",
    "schema_version": "Recorder database schema version",
}


def _reader(recorder: Recorder, key: str) -> GaugeFunction:
    def read() -> float:
        return float(recorder.stats()[key])

    return read


def publish_metrics(hub: Hub, recorder: Recorder) -> None:
    """Register ``fieldhub_recorder_*`` metrics read from :meth:`Recorder.stats`."""
    registry = hub_metrics(hub)
    for key, help_text in _COUNTERS.items():
        registry.observed_counter(
            f"fieldhub_recorder_{key}_total", help_text, _reader(recorder, key)
        )
    for key, help_text in _GAUGES.items():
        registry.gauge(f"fieldhub_recorder_{key}", help_text, _reader(recorder, key))
