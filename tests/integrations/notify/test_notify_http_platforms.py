"""SMS (Twilio-shaped and templated HTTP), ntfy, Gotify, Pushover and Telegram fakes."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from notify_fakes import Reply

from hub.api import Hub

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "twilio-auth-token-xyz"
BOT = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345"


def targets_yaml(url: str) -> str:
    return f"""
notify:
  targets:
    - name: ops_sms
      platform: sms_twilio
      account_sid: {SID}
      auth_token: !secret twilio_token
      from_number: "+15005550006"
      recipients: ["+4915112345678", "+14155550123"]
      api_url: {url}
      retry: {{schedule: [0, 5], jitter: 0}}
    - name: gateway
      platform: http
      url: "{url}/gw/send?to={{{{ recipient | urlencode }}}}"
      form: {{text: "{{{{ title }}}}: {{{{ message }}}}", sender: fieldhub}}
      recipients: ["+4915100000001"]
      token: !secret gateway_token
    - name: phone_ntfy
      platform: ntfy
      url: {url}
      topic: plant-alerts
      token: !secret ntfy_token
      tags: [warning]
    - name: gotify
      platform: gotify
      url: {url}
      token: !secret gotify_token
    - name: pager
      platform: pushover
      token: !secret pushover_token
      user_key: !secret pushover_user
      priority: 2
      receipt_poll_interval: 5
      api_url: {url}
    - name: chat
      platform: telegram
      bot_token: !secret telegram_token
      chat_ids: [-1001234, "@plant_channel"]
      parse_mode: HTML
      api_url: {url}
      retry: {{schedule: [0, 60], jitter: 0}}
"""


SECRETS = f"""
twilio_token: {TOKEN}
gateway_token: gw-token-0001
ntfy_token: tk_ntfy_secret_0001
gotify_token: gotify-app-token-1
pushover_token: pushover-app-token-1
pushover_user: pushover-user-key-1
telegram_token: "{BOT}"
"""


@pytest.fixture
async def server(fake_server: Any) -> Any:
    return await fake_server()


async def test_twilio_sms_form_auth_and_segmentation(
    hub: Hub, setup_notify: Any, server: Any, step: Any, deliveries: Any
) -> None:
    path = f"/2010-04-01/Accounts/{SID}/Messages.json"
    server.script(path, Reply(json={"sid": "SM1", "status": "queued"}), Reply(status=500))
    runtime = await setup_notify(targets_yaml(server.url), SECRETS)
    long_text = ("word " * 400).strip()  # 1999 characters: two parts
    await hub.services.call("notify", "ops_sms", {"message": long_text})
    await runtime.notifier.wait_idle()
    assert len(server.seen(path)) == 2  # part 1 sent, part 2 got a 500
    await step(runtime, 5)
    sent = server.seen(path)
    assert len(sent) == 5  # part 1 not resent; part 2, then both parts to the second number
    forms = [r.form() for r in sent]
    assert [f["To"] for f in forms] == ["+4915112345678"] * 3 + ["+14155550123"] * 2
    assert forms[0]["Body"].startswith("(1/2) ") and forms[1]["Body"].startswith("(2/2) ")
    assert forms[1] == forms[2]
    assert all(len(f["Body"]) <= 1600 and f["From"] == "+15005550006" for f in forms)
    expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    assert sent[0].headers["Authorization"] == expected
    [row] = await deliveries(target="ops_sms")
    assert row["status"] == "delivered" and row["attempt_count"] == 2


async def test_templated_http_gateway(hub: Hub, setup_notify: Any, server: Any) -> None:
    runtime = await setup_notify(targets_yaml(server.url), SECRETS)
    await hub.services.call("notify", "gateway", {"title": "Pump", "message": "stopped"})
    await runtime.notifier.wait_idle()
    [request] = server.seen("/gw/send")
    assert request.query == {"to": "+4915100000001"}
    assert request.form() == {"text": "Pump: stopped", "sender": "fieldhub"}
    assert request.headers["Authorization"] == "Bearer gw-token-0001"


async def test_ntfy_and_gotify(hub: Hub, setup_notify: Any, server: Any) -> None:
    runtime = await setup_notify(targets_yaml(server.url), SECRETS)
    await hub.services.call(
        "notify",
        "phone_ntfy",
        {"title": "Tank 3 – low", "message": "12 %", "data": {"severity": "critical"}},
    )
    await hub.services.call("notify", "gotify", {"title": "Hi", "message": "there"})
    await runtime.notifier.wait_idle()
    [ntfy] = server.seen("/plant-alerts")
    assert ntfy.body == b"12 %"
    assert ntfy.headers["Priority"] == "urgent"
    assert ntfy.headers["Tags"] == "warning"
    assert ntfy.headers["Authorization"] == "Bearer tk_ntfy_secret_0001"
    assert ntfy.headers["Title"].startswith("=?utf-8?")
    [gotify] = server.seen("/message")
    assert gotify.headers["X-Gotify-Key"] == "gotify-app-token-1"
    assert gotify.json() == {"title": "Hi", "message": "there", "priority": 5}


async def test_pushover_emergency_receipt_acknowledges_the_alert(
    hub: Hub, setup_notify: Any, server: Any, step: Any
) -> None:
    server.script("/1/messages.json", Reply(json={"status": 1, "request": "r1", "receipt": "RC1"}))
    server.script(
        "/1/receipts/RC1.json",
        Reply(json={"status": 1, "acknowledged": 0, "expired": 0}),
        Reply(json={"status": 1, "acknowledged": 1, "acknowledged_by": "u1", "expired": 0}),
    )
    acked: list[str] = []
    hub.services.register("alert", "acknowledge", lambda call: acked.append(call.data["alert_id"]))
    events: list[Any] = []
    hub.bus.listen("notify_receipt_acknowledged", events.append)
    runtime = await setup_notify(targets_yaml(server.url), SECRETS)
    await hub.services.call(
        "notify", "pager", {"message": "Overflow", "data": {"alert_id": "tank3_high"}}
    )
    await runtime.notifier.wait_idle()
    form = server.seen("/1/messages.json")[0].form()
    assert (form["priority"], form["retry"], form["expire"]) == ("2", "60", "3600")
    assert form["token"] == "pushover-app-token-1" and form["user"] == "pushover-user-key-1"

    await step(runtime, 4.9)
    assert server.seen("/1/receipts") == []
    for _ in range(2):
        await step(runtime, 5)
        await _until(lambda: len(server.seen("/1/receipts")) >= 1)
    await _until(lambda: bool(acked))
    assert len(server.seen("/1/receipts")) == 2
    assert server.seen("/1/receipts")[0].query == {"token": "pushover-app-token-1"}
    assert acked == ["tank3_high"]
    assert events[0].data["alert_ids"] == ["tank3_high"]


async def test_telegram_obeys_retry_after(
    hub: Hub, setup_notify: Any, server: Any, step: Any, deliveries: Any
) -> None:
    path = f"/bot{BOT}/sendMessage"
    flood = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7"}
    server.script(
        path,
        Reply(json={"ok": True, "result": {}}),
        Reply(status=429, json={**flood, "parameters": {"retry_after": 7}}),
    )
    runtime = await setup_notify(targets_yaml(server.url), SECRETS)
    await hub.services.call("notify", "chat", {"title": "A<B", "message": "hello"})
    await runtime.notifier.wait_idle()
    assert len(server.seen(path)) == 2
    await step(runtime, 6.9)
    assert len(server.seen(path)) == 2
    await step(runtime, 0.1)
    sent = [r.json() for r in server.seen(path)]
    assert [s["chat_id"] for s in sent] == [-1001234, "@plant_channel", "@plant_channel"]
    assert sent[0]["text"] == "<b>A&lt;B</b>\nhello" and sent[0]["parse_mode"] == "HTML"
    [row] = await deliveries(target="chat")
    assert [a["status_code"] for a in row["attempts"]] == [429, 200]
    assert row["status"] == "delivered"


async def _until(predicate: Any, tries: int = 200) -> None:
    import asyncio

    for _ in range(tries):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")
