"""Run modes: single, restart, queued and parallel with max."""

from __future__ import annotations

import pytest
from conftest import Setup, Tick

from hub.core.hub import Hub
from hub.core.services import ServiceCall


def automation(mode: str) -> str:
    return (
        f"- id: m\n  {mode}\n  trigger: {{platform: event, event_type: go}}\n"
        "  action:\n    - delay: 10\n"
        '    - service: test.record\n      data: {n: "{{ trigger.event.data.n }}"}\n'
    )


@pytest.mark.parametrize(
    ("mode", "recorded", "outcomes"),
    [
        ("mode: single", [1], ["finished", "failed_single", "failed_single"]),
        ("mode: restart", [3], ["cancelled", "cancelled", "finished"]),
        ("mode: queued", [1, 2, 3], ["finished", "finished", "finished"]),
        ("mode: queued\n  max: 2", [1, 2], ["finished", "finished", "failed_max_runs"]),
        ("mode: parallel", [1, 2, 3], ["finished", "finished", "finished"]),
        ("mode: parallel\n  max: 2", [1, 2], ["finished", "finished", "failed_max_runs"]),
    ],
)
async def test_modes(
    hub: Hub,
    setup: Setup,
    tick: Tick,
    calls: list[ServiceCall],
    mode: str,
    recorded: list[int],
    outcomes: list[str],
) -> None:
    engine = await setup(automation(mode))
    automation_ = next(iter(engine))
    for n in (1, 2, 3):
        hub.bus.fire("go", {"n": n})
        await tick(1)
    state = hub.states.get("automation.m")
    assert state is not None and state.attributes["current"] >= 1
    await tick(40)
    assert [call.data["n"] for call in calls] == recorded
    assert [trace.script_execution for trace in automation_.traces] == outcomes
    state = hub.states.get("automation.m")
    assert state is not None and state.attributes["current"] == 0
