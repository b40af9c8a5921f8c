"""The metrics registry and its Prometheus text rendering."""

from __future__ import annotations

import pytest

from hub.core.hub import Hub
from hub.core.metrics import MetricsRegistry, hub_metrics


def test_counter_with_labels_renders_sorted_and_escaped() -> None:
    registry = MetricsRegistry()
    counter = registry.counter("test_messages_total", "Messages\nseen", ("integration",))
    counter.inc(integration="mqtt")
    counter.inc(2, integration='tank "a"')
    text = registry.render()
    assert "# HELP test_messages_total Messages\\nseen" in text
    assert "# TYPE test_messages_total counter" in text
    assert 'test_messages_total{integration="mqtt"} 1' in text
    assert 'test_messages_total{integration="tank \\"a\\""} 2' in text
    assert registry.counter("test_messages_total", "again", ("integration",)) is counter


def test_gauges_and_observed_counters() -> None:
    registry = MetricsRegistry()
    depth = {"recorder": 3.0}
    registry.gauge(
        "test_queue_depth", "Queue depth", lambda: {("recorder",): depth["recorder"]}, ("queue",)
    )
    registry.observed_counter("test_total", "Total", lambda: 7)
    depth["recorder"] = 5.5
    text = registry.render()
    assert 'test_queue_depth{queue="recorder"} 5.5' in text
    assert "# TYPE test_total counter\ntest_total 7" in text


def test_predefined_input_counters() -> None:
    registry = MetricsRegistry()
    registry.invalid_inputs.inc(integration="tank_node")
    registry.dropped_inputs.inc(3, integration="mqtt")
    assert registry.invalid_inputs.value(integration="tank_node") == 1
    text = registry.render()
    assert 'fieldhub_inputs_dropped_total{integration="mqtt"} 3' in text


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: r.counter("bad name", "x"), "invalid metric name"),
        (lambda r: r.counter("ok_total", "x", ("__bad",)), "invalid label"),
        (lambda r: r.counter("fieldhub_inputs_invalid_total", "x"), "already has labels"),
        (lambda r: r.gauge("fieldhub_inputs_invalid_total", "x", lambda: 1), "counter"),
        (lambda r: r.invalid_inputs.inc(), "takes labels"),
        (lambda r: r.invalid_inputs.inc(-1, integration="a"), "only goes up"),
    ],
)
def test_misuse_is_refused(call: object, message: str) -> None:
    registry = MetricsRegistry()
    with pytest.raises(ValueError, match=message):
        call(registry)  # type: ignore[operator]


def test_failing_gauge_does_not_break_rendering() -> None:
    registry = MetricsRegistry()
    registry.gauge("test_broken", "Broken", lambda: 1 / 0)
    registry.gauge("test_fine", "Fine", lambda: 1)
    assert "test_fine 1" in registry.render()


async def test_hub_metrics_is_per_hub_with_core_metrics(hub: Hub) -> None:
    registry = hub_metrics(hub)
    assert hub_metrics(hub) is registry
    hub.states.set("sensor.a", "1")
    text = registry.render()
    assert "fieldhub_entities 1" in text
    assert "fieldhub_state_writes_total 1" in text
