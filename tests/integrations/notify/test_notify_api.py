"""REST views and secret redaction in logs, the delivery log and API responses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import web
from notify_fakes import Reply

import integrations.notify as notify_module
from hub.api import Hub

TOKEN = "gw-super-secret-token-9"
BOT = "987654:ZYXwvuTSRqpoNMLkjiHGFedcBA98765"


@pytest.fixture
async def api(hub: Hub, aiohttp_client: Any) -> tuple[Any, dict[str, str]]:
    """A test client over the routes the integration registers, and their roles."""
    app = web.Application()
    roles: dict[str, str] = {}

    def register(
        method: str, path: str, handler: Any, *, role: str = "viewer", openapi: Any = None
    ) -> None:
        assert openapi and "summary" in openapi
        roles[f"{method} {path}"] = role
        app.router.add_route(method, path, handler)

    notify_module.fieldhub_register_http_views(hub, register)
    return await aiohttp_client(app), roles


def leaky_yaml(url: str) -> str:
    return f"""
notify:
  targets:
    - name: gateway
      platform: http
      url: {url}/send
      body: "{{{{ message }}}}"
      headers: {{X-Api-Key: !secret gateway_token}}
      retry: {{schedule: [0], jitter: 0}}
    - name: chat
      platform: telegram
      bot_token: !secret bot_token
      chat_ids: [42]
      api_url: {url}
      retry: {{schedule: [0], jitter: 0}}
"""


SECRETS = f'gateway_token: {TOKEN}\nbot_token: "{BOT}"\n'


async def test_secrets_never_reach_logs_the_delivery_log_or_the_api(
    hub: Hub,
    setup_notify: Any,
    fake_server: Any,
    api: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    server = await fake_server()
    server.script("/send", Reply(status=401, body=f"invalid key {TOKEN}"))
    server.script(f"/bot{BOT}", Reply(status=400, json={"ok": False, "description": f"bot{BOT}"}))
    runtime = await setup_notify(leaky_yaml(server.url), SECRETS)
    await hub.services.call("notify", "gateway", {"message": "m1"})
    await hub.services.call("notify", "chat", {"message": "m2"})
    await runtime.notifier.wait_idle()
    assert server.seen("/send")[0].headers["X-Api-Key"] == TOKEN  # it was really used

    client, _ = api
    outputs = []
    for path in ("/api/notify/targets", "/api/notify/deliveries"):
        response = await client.get(path)
        assert response.status == 200
        outputs.append(await response.text())
    rows = json.loads(outputs[1])["deliveries"]
    assert {r["status"] for r in rows} == {"failed"}
    assert all("**REDACTED**" in r["last_error"] for r in rows)
    for text in [caplog.text, *outputs]:
        assert TOKEN not in text
        assert BOT.split(":")[1] not in text


async def test_targets_deliveries_and_test_send(
    hub: Hub, setup_notify: Any, fake_server: Any, api: Any
) -> None:
    server = await fake_server()
    runtime = await setup_notify(leaky_yaml(server.url), SECRETS)
    client, roles = api
    assert roles == {
        "GET /api/notify/targets": "viewer",
        "GET /api/notify/deliveries": "viewer",
        "POST /api/notify/test/{target}": "admin",
    }
    targets = (await (await client.get("/api/notify/targets")).json())["targets"]
    assert [(t["name"], t["platform"], t["enabled"]) for t in targets] == [
        ("chat", "telegram", True),
        ("gateway", "http", True),
        ("persistent", "persistent", True),
    ]

    response = await client.post("/api/notify/test/gateway", json={"message": "ping"})
    assert response.status == 202
    delivery_id = (await response.json())["delivery_id"]
    await runtime.notifier.wait_idle()
    assert server.seen("/send")[0].body == b"ping"
    assert (await client.post("/api/notify/test/nope")).status == 404

    await hub.services.call("notify", "chat", {"message": "hello"})
    await runtime.notifier.wait_idle()
    body = await (await client.get("/api/notify/deliveries?target=gateway")).json()
    assert [d["id"] for d in body["deliveries"]] == [delivery_id]
    assert body["deliveries"][0]["attempts"][0]["status_code"] == 200
    delivered = await (await client.get("/api/notify/deliveries?status=delivered")).json()
    assert {d["target"] for d in delivered["deliveries"]} == {"gateway", "chat"}
    assert (await client.get("/api/notify/deliveries?status=bogus")).status == 400


async def test_views_answer_503_when_notify_is_not_set_up(api: Any) -> None:
    client, _ = api
    assert (await client.get("/api/notify/targets")).status == 503
