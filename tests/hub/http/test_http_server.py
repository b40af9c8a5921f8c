"""The server around the routes: static UI, CORS, forwarded addresses, component start-up."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from hub.core.hub import Hub
from hub.http import server as server_module
from hub.http.component import HTTP_SERVER
from hub.http.config import CONFIG_SCHEMA
from hub.testing.http import MakeHubClient
from hub.testing.network import free_port
from hub.testing.plugin import StartHub


@pytest.fixture
def static_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "static"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<html>ui</html>")
    (root / "assets" / "app.js").write_text("console.log(1)")
    (root / "logo.1a2b3c4d5e.svg").write_text("<svg/>")
    monkeypatch.setattr(server_module, "STATIC_DIR", root)
    return root


async def test_static_ui(make_hub_client: MakeHubClient, static_dir: Path) -> None:
    client = await make_hub_client()
    index = await client.request("GET", "/", role=None)
    assert (index.status, index.data) == (200, "<html>ui</html>")
    assert index.headers["Cache-Control"] == "no-cache"
    route = await client.request("GET", "/tanks/north", role=None)
    assert route.data == "<html>ui</html>"
    asset = await client.request("GET", "/assets/app.js", role=None)
    assert asset.headers["Cache-Control"].endswith("immutable")
    hashed = await client.request("GET", "/logo.1a2b3c4d5e.svg", role=None)
    assert hashed.headers["Cache-Control"].endswith("immutable")
    missing = await client.request("GET", "/missing.js", role=None)
    assert missing.status == 404
    escape = await client.request("GET", "/..%2F..%2Fetc%2Fpasswd", role=None)
    assert escape.status == 404
    api = await client.request("GET", "/api/unknown", role=None)
    assert (api.status, api.data["error"]["code"]) == (404, "not_found")


async def test_cors(make_hub_client: MakeHubClient) -> None:
    client = await make_hub_client({"cors_allowed_origins": ["https://ui.example.com"]})
    allowed = {"Origin": "https://ui.example.com"}
    result = await client.request("GET", "/api/", role="viewer", headers=allowed)
    assert result.headers["Access-Control-Allow-Origin"] == "https://ui.example.com"
    preflight = await client.request(
        "OPTIONS",
        "/api/states",
        role=None,
        headers={**allowed, "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status == 204
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    other = await client.request(
        "GET", "/api/", role="viewer", headers={"Origin": "https://evil.example.com"}
    )
    assert "Access-Control-Allow-Origin" not in other.headers


async def test_forwarded_for_from_trusted_proxy(make_hub_client: MakeHubClient) -> None:
    client = await make_hub_client(
        {
            "use_x_forwarded_for": True,
            "trusted_proxies": ["127.0.0.1"],
            "login_attempts_threshold": 1,
        }
    )
    for n in range(4):
        result = await client.request(
            "POST",
            "/api/auth/login",
            role=None,
            json={"username": f"u{n}", "password": "nope nope"},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
        assert result.status == 401
    locked = await client.request(
        "POST",
        "/api/auth/login",
        role=None,
        json={"username": "x", "password": "nope"},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    other = await client.request(
        "POST",
        "/api/auth/login",
        role=None,
        json={"username": "x", "password": "nope"},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert (locked.status, other.status) == (429, 401)
    bad = await client.request(
        "GET", "/api/", role="viewer", headers={"X-Forwarded-For": "not-an-ip"}
    )
    assert (bad.status, bad.data["error"]["code"]) == (400, "bad_forwarded_for")


async def test_component_starts_and_stops_with_hub(
    start_hub: StartHub, caplog: pytest.LogCaptureFixture
) -> None:
    import aiohttp

    port = free_port()
    caplog.set_level(logging.WARNING)
    hub: Hub = await start_hub(
        {"configuration.yaml": f"http:\n  server_host: 127.0.0.1\n  server_port: {port}\n"}
    )
    assert HTTP_SERVER in hub.data
    assert "hub user add NAME --role admin" in caplog.text
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/api/") as response:
            assert response.status == 401
        await hub.stop()
        with pytest.raises(aiohttp.ClientConnectionError):
            async with session.get(f"http://127.0.0.1:{port}/api/"):
                pass


@pytest.mark.parametrize(
    "section",
    [
        {"ssl_certificate": "/tmp/cert.pem"},
        {"use_x_forwarded_for": True},
        {"trusted_proxies": ["not-a-network"]},
        {"max_body_size": 10},
        {"server_port": 70000},
    ],
)
def test_config_schema_refuses(section: dict[str, object]) -> None:
    import voluptuous as vol

    with pytest.raises(vol.Invalid):
        CONFIG_SCHEMA(section)
