"""In-memory telemetry window: the recent history of every numeric entity."""

from .numeric import to_float
from .stats import WindowStats
from .store import TelemetryWindow

__all__ = ["TelemetryWindow", "WindowStats", "to_float"]
