"""Intake counters: what arrived, what was dropped as invalid (per topic), what failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TOP_TOPICS = 20


@dataclass(slots=True)
class IntakeStats:
    """Counters kept by the intake on the event loop."""

    received: int = 0
    batches: int = 0
    largest_batch: int = 0
    invalid: int = 0
    handler_errors: int = 0
    invalid_by_topic: dict[str, int] = field(default_factory=dict)
    connects: int = 0
    disconnects: int = 0

    def count_invalid(self, topic: str) -> None:
        """One more invalid message on ``topic``."""
        self.invalid += 1
        self.invalid_by_topic[topic] = self.invalid_by_topic.get(topic, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        """Counters for diagnostics (the topics with the most invalid messages first)."""
        worst = sorted(self.invalid_by_topic.items(), key=lambda kv: -kv[1])[:TOP_TOPICS]
        return {
            "received": self.received,
            "batches": self.batches,
            "largest_batch": self.largest_batch,
            "invalid": self.invalid,
            "handler_errors": self.handler_errors,
            "connects": self.connects,
            "disconnects": self.disconnects,
            "invalid_by_topic": dict(worst),
        }
