"""Webhook target: Standard Webhooks signatures, retries, backoff, 410 and the delivery log."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from typing import Any

import pytest
from notify_fakes import Reply

from hub.api import Hub, ManualClock

SECRET_A = "whsec_" + base64.b64encode(b"A" * 32).decode()
SECRET_B = "whsec_" + base64.b64encode(b"rotated-secret-of-32-bytes-long!").decode()
GITHUB = "gh-hook-secret-123"
TOLERANCE = 300


class Receiver:
    """An independent Standard Webhooks verifier (as a receiver would write it)."""

    def __init__(self, secret: str, now: float) -> None:
        self.key = base64.b64decode(secret.split("_", 1)[1])
        self.now = now
        self.seen_ids: set[str] = set()

    def verify(self, headers: dict[str, str], body: bytes) -> str:
        lower = {k.lower(): v for k, v in headers.items()}
        msg_id, stamp = lower["webhook-id"], lower["webhook-timestamp"]
        if abs(self.now - int(stamp)) > TOLERANCE:
            return "stale"
        if msg_id in self.seen_ids:
            return "replay"
        signed = f"{msg_id}.{stamp}.".encode() + body
        expected = base64.b64encode(hmac.new(self.key, signed, hashlib.sha256).digest())
        for candidate in lower["webhook-signature"].split(" "):
            version, _, signature = candidate.partition(",")
            if version == "v1" and hmac.compare_digest(signature.encode(), expected):
                self.seen_ids.add(msg_id)
                return "ok"
        return "bad-signature"


def target_yaml(url: str, name: str = "hook", **extra: Any) -> str:
    lines = [
        f"    - name: {name}",
        "      platform: webhook",
        f"      url: {url}",
        "      secret: [!secret hook_new, !secret hook_old]",
        "      github_secret: !secret hook_github",
        "      retry: {schedule: [0, 5, 300, 1800], jitter: 0}",
    ]
    lines += [f"      {k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def webhook_yaml(*targets: str) -> str:
    return "notify:\n  targets:\n" + "".join(targets)


SECRETS = f"hook_new: {SECRET_B}\nhook_old: {SECRET_A}\nhook_github: {GITHUB}\n"


async def test_webhook_is_signed_for_every_secret_and_github(
    hub: Hub, setup_notify: Any, fake_server: Any, clock: ManualClock, deliveries: Any
) -> None:
    server = await fake_server()
    runtime = await setup_notify(webhook_yaml(target_yaml(f"{server.url}/in")), SECRETS)
    await hub.services.call("notify", "hook", {"message": "Tank 3 low", "title": "Level"})
    await runtime.notifier.wait_idle()

    [request] = server.seen("/in")
    assert request.headers["webhook-timestamp"] == str(int(clock.time()))
    assert request.headers["webhook-signature"].count("v1,") == 2
    for secret in (SECRET_A, SECRET_B):
        assert Receiver(secret, clock.time()).verify(request.headers, request.body) == "ok"
    github = "sha256=" + hmac.new(GITHUB.encode(), request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["X-Hub-Signature-256"], github)
    payload = request.json()
    assert payload["type"] == "notify.message"
    assert payload["data"]["message"] == "Tank 3 low"
    assert payload["data"]["id"] == request.headers["webhook-id"]
    [row] = await deliveries(target="hook")
    assert (row["status"], row["attempt_count"], row["attempts"][0]["status_code"]) == (
        "delivered",
        1,
        200,
    )


async def test_receiver_rejects_tampered_stale_and_replayed(
    hub: Hub, setup_notify: Any, fake_server: Any, clock: ManualClock
) -> None:
    server = await fake_server()
    runtime = await setup_notify(webhook_yaml(target_yaml(f"{server.url}/in")), SECRETS)
    await hub.services.call("notify", "hook", {"message": "valve open"})
    await runtime.notifier.wait_idle()
    [request] = server.seen("/in")

    tampered = Receiver(SECRET_A, clock.time())
    assert tampered.verify(request.headers, request.body.replace(b"open", b"shut")) == (
        "bad-signature"
    )
    stale = Receiver(SECRET_A, clock.time() + TOLERANCE + 1)
    assert stale.verify(request.headers, request.body) == "stale"
    replay = Receiver(SECRET_A, clock.time())
    assert replay.verify(request.headers, request.body) == "ok"
    assert replay.verify(request.headers, request.body) == "replay"
    unknown = Receiver("whsec_" + base64.b64encode(b"Z" * 32).decode(), clock.time())
    assert unknown.verify(request.headers, request.body) == "bad-signature"


async def test_retry_schedule_keeps_the_id_and_honours_retry_after(
    hub: Hub, setup_notify: Any, fake_server: Any, step: Any, deliveries: Any
) -> None:
    server = await fake_server()
    server.script(
        "/in",
        Reply(status=500, body="boom"),
        Reply(status=429, headers={"Retry-After": "120"}),
        Reply(status=200),
    )
    runtime = await setup_notify(webhook_yaml(target_yaml(f"{server.url}/in")), SECRETS)
    response = await hub.services.call(
        "notify", "hook", {"message": "retry me"}, return_response=True
    )
    assert response is not None
    await runtime.notifier.wait_idle()
    assert len(server.seen("/in")) == 1

    await step(runtime, 4.9)
    assert len(server.seen("/in")) == 1
    await step(runtime, 0.1)
    assert len(server.seen("/in")) == 2
    await step(runtime, 119)
    assert len(server.seen("/in")) == 2
    await step(runtime, 1)
    requests = server.seen("/in")
    assert len(requests) == 3

    assert len({r.headers["webhook-id"] for r in requests}) == 1
    stamps = [int(r.headers["webhook-timestamp"]) for r in requests]
    assert stamps[1] - stamps[0] == 5 and stamps[2] - stamps[1] == 120
    [row] = await deliveries(target="hook")
    assert (
        row["id"] == response["deliveries"][0]["delivery_id"] == requests[0].headers["webhook-id"]
    )
    assert row["status"] == "delivered"
    assert [a["status_code"] for a in row["attempts"]] == [500, 429, 200]
    assert [a["outcome"] for a in row["attempts"]] == ["retry", "retry", "ok"]
    assert "HTTP 500" in (row["attempts"][0]["error"] or "")


async def test_gives_up_when_the_schedule_is_exhausted(
    hub: Hub, setup_notify: Any, fake_server: Any, step: Any, deliveries: Any
) -> None:
    server = await fake_server()
    server.default = Reply(status=503)
    runtime = await setup_notify(webhook_yaml(target_yaml(f"{server.url}/in")), SECRETS)
    await hub.services.call("notify", "hook", {"message": "never"})
    for delay in (0, 5, 300, 1800, 7200):
        await step(runtime, delay)
    [row] = await deliveries(target="hook")
    assert row["status"] == "failed"
    assert row["attempt_count"] == 4
    assert len(server.seen("/in")) == 4
    assert any(n.title == "Notification to hook failed" for n in hub.notices.all())


@pytest.mark.parametrize(
    ("reply", "code"),
    [(Reply(status=400), 400), (Reply(status=302, headers={"Location": "/x"}), 302)],
)
async def test_other_4xx_and_redirects_fail_without_retry(
    hub: Hub,
    setup_notify: Any,
    fake_server: Any,
    step: Any,
    deliveries: Any,
    reply: Reply,
    code: int,
) -> None:
    server = await fake_server()
    server.default = reply
    runtime = await setup_notify(webhook_yaml(target_yaml(f"{server.url}/in")), SECRETS)
    await hub.services.call("notify", "hook", {"message": "nope"})
    await step(runtime, 3600)
    [row] = await deliveries(target="hook")
    assert (row["status"], row["attempt_count"], row["last_status_code"]) == ("failed", 1, code)
    assert len(server.seen("/in")) == 1


async def test_gone_disables_the_target(
    hub: Hub, setup_notify: Any, fake_server: Any, deliveries: Any
) -> None:
    server = await fake_server()
    server.default = Reply(status=410)
    runtime = await setup_notify(webhook_yaml(target_yaml(f"{server.url}/in")), SECRETS)
    await hub.services.call("notify", "hook", {"message": "first"})
    await runtime.notifier.wait_idle()
    await hub.services.call("notify", "hook", {"message": "second"})
    await runtime.notifier.wait_idle()
    assert len(server.seen("/in")) == 1
    target = runtime.notifier.get("hook")
    assert target is not None and not target.enabled
    statuses = {row["message"]: row["status"] for row in await deliveries(target="hook")}
    assert statuses == {"first": "failed", "second": "skipped"}


async def test_connection_refused_and_timeouts_are_retried(
    hub: Hub,
    setup_notify: Any,
    fake_server: Any,
    unused_port: Any,
    step: Any,
    deliveries: Any,
) -> None:
    slow = await fake_server()
    slow.default = Reply(delay=1.0)
    yaml = webhook_yaml(
        target_yaml(f"http://127.0.0.1:{unused_port()}/in", "dead"),
        target_yaml(f"{slow.url}/in", timeout=0.2),
    )
    runtime = await setup_notify(yaml, SECRETS)
    await hub.services.call("notify", "dead", {"message": "a"})
    await hub.services.call("notify", "hook", {"message": "b"})
    await runtime.notifier.wait_idle()
    rows = {row["target"]: row for row in await deliveries()}
    assert rows["dead"]["status"] == "retrying"
    assert "Connect" in (rows["dead"]["last_error"] or "")
    assert rows["hook"]["status"] == "retrying"
    assert rows["hook"]["last_error"] == "timed out"
    assert rows["hook"]["next_attempt_at"] == pytest.approx(rows["dead"]["next_attempt_at"])


async def test_a_failing_target_never_blocks_another(
    hub: Hub, setup_notify: Any, fake_server: Any
) -> None:
    stuck, fine = await fake_server(), await fake_server()
    stuck.default = Reply(delay=1.0)
    yaml = webhook_yaml(target_yaml(f"{stuck.url}/in"), target_yaml(f"{fine.url}/in", "fine"))
    await setup_notify(yaml, SECRETS)
    await asyncio.wait_for(hub.services.call("notify", "hook", {"message": "slow"}), 0.5)
    await asyncio.wait_for(hub.services.call("notify", "fine", {"message": "fast"}), 0.5)
    for _ in range(50):
        if fine.seen("/in"):
            break
        await asyncio.sleep(0.01)
    assert [r.json()["data"]["message"] for r in fine.seen("/in")] == ["fast"]
    assert len(stuck.seen("/in")) == 1
