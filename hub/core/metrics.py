"""Counters and gauges any part of the hub can publish, rendered in Prometheus text format.

``hub_metrics(hub)`` returns the hub's registry. Parts count things with
``counter(name, help, labels)`` and expose live values with ``gauge(name, help, fn)``;
``GET /api/metrics`` renders everything. Registering a name again returns the same counter
(or replaces a gauge's function), so an integration that reloads keeps its totals.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Final

from hub.core.keys import HubKey

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)

LabelValues = tuple[str, ...]
GaugeValue = float | Mapping[LabelValues, float]
GaugeFunction = Callable[[], GaugeValue]

_NAME_RE: Final = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL_RE: Final = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")

INVALID_INPUTS: Final = "fieldhub_inputs_invalid_total"
DROPPED_INPUTS: Final = "fieldhub_inputs_dropped_total"


def _check_name(name: str, labels: LabelValues) -> None:
    if not _NAME_RE.match(name):
        raise ValueError(f"invalid metric name {name!r}")
    for label in labels:
        if not _LABEL_RE.match(label) or label.startswith("__"):
            raise ValueError(f"invalid label name {label!r} for metric {name}")


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _escape_help(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n")


def _format_value(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _sample(name: str, labels: LabelValues, values: LabelValues, value: float) -> str:
    if not labels:
        return f"{name} {_format_value(value)}"
    pairs = ",".join(f'{k}="{_escape_label(v)}"' for k, v in zip(labels, values, strict=True))
    return f"{name}{{{pairs}}} {_format_value(value)}"


class Counter:
    """A monotonically increasing count, optionally split by label values."""

    __slots__ = ("_values", "help", "labels", "name")

    def __init__(self, name: str, help_text: str, labels: LabelValues) -> None:
        self.name = name
        self.help = help_text
        self.labels = labels
        self._values: dict[LabelValues, float] = {}

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        """Add ``amount`` (≥ 0) to the series named by ``labels`` (all label names required)."""
        if amount < 0:
            raise ValueError("a counter only goes up")
        key = self._key(labels)
        self._values[key] = self._values.get(key, 0.0) + amount

    def value(self, **labels: str) -> float:
        """The current value of one series (0 if never incremented)."""
        return self._values.get(self._key(labels), 0.0)

    def _key(self, labels: Mapping[str, str]) -> LabelValues:
        if labels.keys() != set(self.labels):
            raise ValueError(f"{self.name} takes labels {list(self.labels)}, got {list(labels)}")
        return tuple(str(labels[name]) for name in self.labels)

    def render(self) -> list[str]:
        """Exposition lines for this counter."""
        lines = [f"# HELP {self.name} {_escape_help(self.help)}", f"# TYPE {self.name} counter"]
        if not self.labels and not self._values:
            lines.append(_sample(self.name, (), (), 0.0))
        for values, value in sorted(self._values.items()):
            lines.append(_sample(self.name, self.labels, values, value))
        return lines


class Gauge:
    """A value read at scrape time from a function (a number, or a mapping per label values)."""

    __slots__ = ("fn", "help", "kind", "labels", "name")

    def __init__(
        self, name: str, help_text: str, fn: GaugeFunction, labels: LabelValues, kind: str
    ) -> None:
        self.name = name
        self.help = help_text
        self.fn = fn
        self.labels = labels
        self.kind = kind

    def render(self) -> list[str]:
        """Exposition lines for this gauge (its function is called now)."""
        lines = [f"# HELP {self.name} {_escape_help(self.help)}", f"# TYPE {self.name} {self.kind}"]
        result = self.fn()
        if isinstance(result, Mapping):
            for values, value in sorted(result.items()):
                lines.append(_sample(self.name, self.labels, tuple(values), float(value)))
        else:
            lines.append(_sample(self.name, (), (), float(result)))
        return lines


class MetricsRegistry:
    """Every metric of one hub. Two counters are predefined for integrations:
    :attr:`invalid_inputs` and :attr:`dropped_inputs`, both labelled by ``integration``.
    """

    def __init__(self) -> None:
        self._metrics: dict[str, Counter | Gauge] = {}
        self.invalid_inputs = self.counter(
            INVALID_INPUTS, "Device inputs rejected as invalid, per integration", ("integration",)
        )
        self.dropped_inputs = self.counter(
            DROPPED_INPUTS,
            "Device inputs dropped (overload, duplicates), per integration",
            ("integration",),
        )

    def counter(self, name: str, help_text: str, labels: tuple[str, ...] = ()) -> Counter:
        """The counter ``name``, created on first use; same labels required on every call."""
        existing = self._metrics.get(name)
        if isinstance(existing, Counter):
            if existing.labels != tuple(labels):
                raise ValueError(f"counter {name} already has labels {list(existing.labels)}")
            return existing
        if existing is not None:
            raise ValueError(f"metric {name} is already registered as a gauge")
        _check_name(name, tuple(labels))
        counter = Counter(name, help_text, tuple(labels))
        self._metrics[name] = counter
        return counter

    def gauge(
        self, name: str, help_text: str, fn: GaugeFunction, labels: tuple[str, ...] = ()
    ) -> Gauge:
        """Publish ``fn()`` as gauge ``name``; registering the name again replaces ``fn``."""
        return self._set_observed(name, help_text, fn, tuple(labels), "gauge")

    def observed_counter(
        self, name: str, help_text: str, fn: GaugeFunction, labels: tuple[str, ...] = ()
    ) -> Gauge:
        """Publish a total that is kept elsewhere (read through ``fn``) as a counter."""
        return self._set_observed(name, help_text, fn, tuple(labels), "counter")

    def _set_observed(
        self, name: str, help_text: str, fn: GaugeFunction, labels: LabelValues, kind: str
    ) -> Gauge:
        if isinstance(self._metrics.get(name), Counter):
            raise ValueError(f"metric {name} is already registered as a counter")
        _check_name(name, labels)
        gauge = Gauge(name, help_text, fn, labels, kind)
        self._metrics[name] = gauge
        return gauge

    def remove(self, name: str) -> None:
        """Forget a metric (an unloaded part's gauges)."""
        self._metrics.pop(name, None)

    def names(self) -> list[str]:
        """Registered metric names, sorted."""
        return sorted(self._metrics)

    def render(self) -> str:
        """Everything in Prometheus text exposition format 0.0.4."""
        lines: list[str] = []
        for name in sorted(self._metrics):
            try:
                lines.extend(self._metrics[name].render())
            except Exception:
                _LOGGER.exception("Error reading metric %s", name)
        return "\n".join(lines) + "\n"


METRICS: Final = HubKey[MetricsRegistry]("metrics")


def hub_metrics(hub: Hub) -> MetricsRegistry:
    """The metrics registry of ``hub`` (created on first use, with the core's own metrics)."""
    registry = hub.data.get(METRICS)
    if registry is None:
        registry = MetricsRegistry()
        _register_core_metrics(registry, hub)
        hub.data[METRICS] = registry
    return registry


def _register_core_metrics(registry: MetricsRegistry, hub: Hub) -> None:
    registry.observed_counter(
        "fieldhub_events_fired_total",
        "Events fired that reached a listener",
        lambda: float(hub.bus.fired_count),
    )
    registry.observed_counter(
        "fieldhub_state_writes_total",
        "State writes (changed or not)",
        lambda: float(hub.states.write_count),
    )
    registry.gauge("fieldhub_entities", "Entities with a state", lambda: float(len(hub.states)))
    registry.gauge(
        "fieldhub_devices", "Registered devices", lambda: float(len(hub.device_registry))
    )
    registry.gauge("fieldhub_tasks", "Tracked background tasks", lambda: float(len(hub.tasks)))
