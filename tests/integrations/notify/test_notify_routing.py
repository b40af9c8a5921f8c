"""Alert routing: severity routes, group wait, repeats, quiet hours, escalation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hub.api import Hub
from integrations.notify.routing import quiet_until
from integrations.notify.schema import QuietHours


def routing_yaml(url: str, quiet: bool = False) -> str:
    def target(name: str) -> str:
        return f"""    - name: {name}
      platform: http
      url: {url}/{name}
      json: {{title: "{{{{ title }}}}", message: "{{{{ message }}}}"}}
      dedup_window: 0
"""

    quiet_block = '    quiet_hours: {start: "22:00", end: "07:00"}\n' if quiet else ""
    return (
        "notify:\n  targets:\n"
        + target("sms")
        + target("mail")
        + target("manager")
        + f"""  routes:
  - severity: critical
    targets: [sms, mail]
    group_wait: 10
    repeat_interval: "01:00:00"
    escalation:
      - after: "00:15:00"
        targets: [manager]
  - severity: warning
    targets: [mail]
    group_by: [severity]
    group_wait: 30
    group_interval: "00:05:00"
    repeat_interval: "04:00:00"
{quiet_block}  - severity: info
    targets: [persistent]
    group_wait: 0
"""
    )


def alert(alert_id: str, severity: str, state: str = "firing", title: str = "") -> dict[str, Any]:
    return {
        "alert_id": alert_id,
        "severity": severity,
        "state": state,
        "title": title or alert_id,
        "message": f"{alert_id} is {state}",
    }


@pytest.fixture
async def server(fake_server: Any) -> Any:
    return await fake_server()


def titles(server: Any, target: str) -> list[str]:
    return [r.json()["title"] for r in server.seen(f"/{target}")]


async def test_routes_by_severity_after_group_wait(
    hub: Hub, setup_notify: Any, server: Any, step: Any
) -> None:
    runtime = await setup_notify(routing_yaml(server.url))
    await hub.services.call("notify", "alert", alert("tank3_high", "critical"))
    await hub.services.call("notify", "alert", alert("filter_dp", "warning"))
    await hub.services.call("notify", "alert", alert("door_open", "info"))
    await step(runtime, 0)
    assert [n.title for n in hub.notices.all()] == ["[INFO] door_open"]
    assert server.requests == []
    await step(runtime, 10)
    assert titles(server, "sms") == titles(server, "mail") == ["[CRITICAL] tank3_high"]
    await step(runtime, 20)
    assert titles(server, "mail") == ["[CRITICAL] tank3_high", "[WARNING] filter_dp"]
    assert titles(server, "sms") == ["[CRITICAL] tank3_high"]


async def test_resolved_within_group_wait_sends_nothing(
    hub: Hub, setup_notify: Any, server: Any, step: Any
) -> None:
    runtime = await setup_notify(routing_yaml(server.url))
    await hub.services.call("notify", "alert", alert("blip", "warning"))
    await step(runtime, 20)
    await hub.services.call("notify", "alert", alert("blip", "warning", "resolved"))
    await step(runtime, 3600)
    assert server.requests == []


async def test_grouping_interval_and_repeat(
    hub: Hub, setup_notify: Any, server: Any, step: Any
) -> None:
    runtime = await setup_notify(routing_yaml(server.url))
    await hub.services.call("notify", "alert", alert("a", "warning"))
    await hub.services.call("notify", "alert", alert("b", "warning"))
    await step(runtime, 30)
    assert titles(server, "mail") == ["[FIRING:2] warning alerts"]
    await hub.services.call("notify", "alert", alert("a", "warning", "resolved"))
    await step(runtime, 299)
    assert len(titles(server, "mail")) == 1
    await step(runtime, 1)
    assert titles(server, "mail")[-1] == "[FIRING:1] warning alerts, 1 resolved"
    await step(runtime, 4 * 3600 - 1)
    assert len(titles(server, "mail")) == 2
    await step(runtime, 1)
    assert titles(server, "mail")[-1] == "[WARNING] b"


async def test_quiet_hours_hold_warnings_but_never_critical(
    hub: Hub, setup_notify: Any, server: Any, step: Any
) -> None:
    runtime = await setup_notify(routing_yaml(server.url, quiet=True))  # clock: 00:00 UTC
    await hub.services.call("notify", "alert", alert("filter_dp", "warning"))
    await hub.services.call("notify", "alert", alert("tank3_high", "critical"))
    await step(runtime, 60)
    assert titles(server, "mail") == ["[CRITICAL] tank3_high"]
    for _ in range(6):
        await step(runtime, 3600)
    await step(runtime, 3600 - 61)
    assert [t for t in titles(server, "mail") if "WARNING" in t] == []
    assert titles(server, "mail").count("[CRITICAL] tank3_high") == 7  # hourly repeats
    await step(runtime, 1)
    assert [t for t in titles(server, "mail") if "WARNING" in t] == ["[WARNING] filter_dp"]


async def test_escalation_unless_acknowledged(
    hub: Hub, setup_notify: Any, server: Any, step: Any
) -> None:
    runtime = await setup_notify(routing_yaml(server.url))
    await hub.services.call("notify", "alert", alert("tank3_high", "critical"))
    await hub.services.call("notify", "alert", alert("pump_trip", "critical"))
    await step(runtime, 60)
    await hub.services.call("notify", "alert", alert("pump_trip", "critical", "acknowledged"))
    await step(runtime, 15 * 60 - 61)
    assert server.seen("/manager") == []
    await step(runtime, 1)
    assert titles(server, "manager") == ["[ESCALATED] tank3_high"]
    assert "Not acknowledged after 15 min" in server.seen("/manager")[0].json()["message"]


async def test_alert_service_validates_its_data(hub: Hub, setup_notify: Any, server: Any) -> None:
    from hub.api import ServiceValidationError

    await setup_notify(routing_yaml(server.url))
    with pytest.raises(ServiceValidationError, match="severity"):
        await hub.services.call("notify", "alert", alert("x", "catastrophic"))


@pytest.mark.parametrize(
    ("now", "until"),
    [
        ("23:30", "2026-01-02T07:00"),
        ("03:00", "2026-01-01T07:00"),
        ("07:00", None),
        ("12:00", None),
        ("22:00", "2026-01-02T07:00"),
    ],
)
def test_quiet_until_wraps_midnight(now: str, until: str | None) -> None:
    quiet = QuietHours(dt.time(22), dt.time(7))
    hour, minute = map(int, now.split(":"))
    moment = dt.datetime(2026, 1, 1, hour, minute, tzinfo=dt.UTC)
    result = quiet_until(moment, quiet)
    expected = dt.datetime.fromisoformat(until).replace(tzinfo=dt.UTC) if until else None
    assert result == expected
