"""Queue behaviour: rate limits, de-duplication, in-app notices, resume, retry policy."""

from __future__ import annotations

import random
from typing import Any

import aiohttp
import pytest
from notify_fakes import Reply

from hub.api import Hub
from integrations.notify.model import DeliveryError
from integrations.notify.policy import (
    DEFAULT_SCHEDULE,
    RetryPolicy,
    classify,
    http_status_error,
    parse_retry_after,
)


def http_target(url: str, **extra: str) -> str:
    lines = [
        "notify:",
        "  targets:",
        "    - name: gw",
        "      platform: http",
        f"      url: {url}/gw",
        '      body: "{{ message }}"',
    ]
    lines += [f"      {k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


async def test_token_bucket_spaces_sends(
    hub: Hub, setup_notify: Any, fake_server: Any, step: Any
) -> None:
    server = await fake_server()
    runtime = await setup_notify(
        http_target(server.url, rate_limit="{count: 2, period: 10}", dedup_window="0")
    )
    for text in ("one", "two", "three", "four"):
        await hub.services.call("notify", "gw", {"message": text})
    await runtime.notifier.wait_idle()
    assert [r.body for r in server.seen("/gw")] == [b"one", b"two"]
    await step(runtime, 4.9)
    assert len(server.seen("/gw")) == 2
    await step(runtime, 0.1)
    assert [r.body for r in server.seen("/gw")][-1] == b"three"
    await step(runtime, 5)
    assert [r.body for r in server.seen("/gw")] == [b"one", b"two", b"three", b"four"]


async def test_dedup_window_by_alert_state_or_message(
    hub: Hub, setup_notify: Any, fake_server: Any, step: Any, deliveries: Any
) -> None:
    server = await fake_server()
    runtime = await setup_notify(http_target(server.url, dedup_window="60"))
    firing = {"message": "high", "data": {"alert_id": "t3", "state": "firing"}}
    await hub.services.call("notify", "gw", firing)
    await hub.services.call("notify", "gw", {**firing, "message": "still high"})
    await hub.services.call(
        "notify", "gw", {"message": "ok", "data": {"alert_id": "t3", "state": "resolved"}}
    )
    await hub.services.call("notify", "gw", {"message": "plain"})
    await hub.services.call("notify", "gw", {"message": "plain"})
    await step(runtime, 60)
    await hub.services.call("notify", "gw", {"message": "plain"})
    await runtime.notifier.wait_idle()
    assert [r.body for r in server.seen("/gw")] == [b"high", b"ok", b"plain", b"plain"]
    statuses = [row["status"] for row in await deliveries(target="gw")]
    assert statuses.count("deduplicated") == 2


async def test_persistent_notices_and_alias(hub: Hub, setup_notify: Any) -> None:
    runtime = await setup_notify("notify:\n")
    await hub.services.call("notify", "persistent", {"title": "Filter", "message": "Replace"})
    await hub.services.call(
        "notify",
        "persistent_notification",
        {"message": "Door open", "data": {"notification_id": "door"}},
    )
    await hub.services.call(
        "notify",
        "persistent_notification",
        {"message": "Door still open", "data": {"notification_id": "door"}},
    )
    await runtime.notifier.wait_idle()
    notices = {n.id: n for n in hub.notices.all()}
    assert notices["door"].message == "Door still open"
    assert [n.title for n in notices.values() if n.id != "door"] == ["Filter"]


async def test_pending_deliveries_resume_after_reload(
    hub: Hub, setup_notify: Any, fake_server: Any, step: Any, deliveries: Any
) -> None:
    server = await fake_server()
    server.script("/gw", Reply(status=503))
    yaml = http_target(server.url, retry="{schedule: [0, 5], jitter: 0}")
    runtime = await setup_notify(yaml)
    await hub.services.call("notify", "gw", {"message": "survive"})
    await runtime.notifier.wait_idle()
    await hub.integrations.unload("notify")
    runtime = await setup_notify(yaml)
    await step(runtime, 5)
    [row] = await deliveries(target="gw")
    assert (row["status"], row["attempt_count"]) == ("delivered", 2)
    assert [r.body for r in server.seen("/gw")] == [b"survive", b"survive"]


def test_default_schedule_is_standard_webhooks_like() -> None:
    assert list(DEFAULT_SCHEDULE[:5]) == [0, 5, 300, 1800, 7200]


def test_jitter_stays_within_bounds() -> None:
    policy = RetryPolicy((0.0, 100.0), jitter=0.2)
    rng = random.Random(7)
    delays = [policy.delay_before(2, rng) for _ in range(200)]
    assert all(d is not None and 80 <= d <= 120 for d in delays)
    assert len(set(delays)) > 100
    assert policy.delay_before(1, rng) == 0
    assert policy.delay_before(3, rng) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("Thu, 01 Jan 2026 00:01:00 GMT", 60.0),
        ("soon", None),
        (None, None),
        ("-5", 0.0),
    ],
)
def test_retry_after_header(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, 1_767_225_600.0) == expected


@pytest.mark.parametrize(
    ("status", "retry", "disable"),
    [
        (429, True, False),
        (502, True, False),
        (410, False, True),
        (404, False, False),
        (301, False, False),
    ],
)
def test_status_classification(status: int, retry: bool, disable: bool) -> None:
    error = http_status_error(status, "", {}, 0.0)
    assert isinstance(error, DeliveryError)
    outcome = classify(error)
    assert (outcome.ok, outcome.retry, outcome.disable) == (False, retry, disable)
    assert http_status_error(204, "", {}, 0.0) is None


def test_network_errors_are_transient_and_bugs_are_not() -> None:
    assert classify(aiohttp.ClientConnectionError("refused")).retry
    assert classify(TimeoutError()).retry
    assert not classify(KeyError("oops")).retry
