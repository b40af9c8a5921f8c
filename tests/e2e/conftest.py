"""Fixtures for the end-to-end tests: a real hub with users and data, and headless Chromium.

The hub runs in the test's event loop (``start_hub``), serving the built UI from
``hub/http/static``; Playwright's async API drives Chromium in the same loop. Tests are
skipped, with the reason, when Chromium or Playwright is missing; the UI is built with
``npm ci && npm run build`` when ``hub/http/static`` has no ``index.html``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from hub.core.hub import Hub
from hub.http.component import HTTP_SERVER
from hub.http.roles import Role
from hub.http.server import HttpServer
from hub.testing.network import free_port

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
STATIC_INDEX = ROOT / "hub" / "http" / "static" / "index.html"
ARTIFACTS = ROOT / "test-artifacts" / "ui"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORDS = {"admin": "admin-password", "operator": "operator-password", "viewer": "viewer-pass"}

CONFIGURATION = """\
hub:
  name: E2E hub
http:
  server_host: 127.0.0.1
  server_port: {port}
recorder:
  commit_interval: 0
automation: !include automations.yaml
alert:
  boiler_high:
    name: Boiler temperature high
    entity_id: sensor.boiler_temperature
    severity: critical
    limits:
      hh: 95
    repeat: 30
    max_shelve: "04:00:00"
  tank_low:
    name: Rain tank low
    entity_id: sensor.rain_tank_level
    severity: warning
    below: 15
    repeat: 60
"""

AUTOMATIONS = """\
- id: boiler_notice
  alias: Tell when the boiler is hot
  description: Creates a notice above 90 °C
  triggers:
    - trigger: numeric_state
      entity_id: sensor.boiler_temperature
      above: 90
  actions:
    - action: hub.create_notice
      data:
        title: Boiler
        message: The boiler is hot
- id: tank_refill
  alias: Refill reminder
  triggers:
    - trigger: numeric_state
      entity_id: sensor.rain_tank_level
      below: 20
  actions:
    - action: hub.create_notice
      data:
        message: Refill the rain tank
"""


def _chromium_or_skip() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright for Python is missing (pip install playwright)")


@pytest.fixture(scope="session")
def built_ui() -> Path:
    """The built UI; built once with npm when it is missing."""
    if not STATIC_INDEX.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip(
                "the UI is not built and npm is missing (cd frontend && npm ci && npm run build)"
            )
        if not (FRONTEND / "node_modules").exists():
            subprocess.run([npm, "ci"], cwd=FRONTEND, check=True)
        subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True)
    return STATIC_INDEX.parent


@dataclass
class UiHub:
    """A running hub with the UI, users for each role and an API session for the test."""

    hub: Hub
    server: HttpServer
    base_url: str
    session: aiohttp.ClientSession
    tokens: dict[str, str] = field(default_factory=dict)
    devices: dict[str, str] = field(default_factory=dict)

    async def api(self, method: str, path: str, body: Any = None, role: str = "admin") -> Any:
        """Call the REST API as ``role``; answer the parsed JSON (raises on HTTP errors)."""
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        async with self.session.request(
            method, self.base_url + path, json=body, headers=headers
        ) as response:
            response.raise_for_status()
            return await response.json()

    async def set_state(
        self, entity_id: str, state: str, attributes: Mapping[str, Any] | None = None
    ) -> Any:
        """``POST /api/states/{entity_id}`` as the admin, keeping the current attributes."""
        if attributes is None:
            current = self.hub.states.get(entity_id)
            attributes = dict(current.attributes) if current is not None else {}
        return await self.api(
            "POST", f"/api/states/{entity_id}", {"state": state, "attributes": dict(attributes)}
        )


async def _seed(ui: UiHub) -> None:
    hub = ui.hub
    registry = hub.device_registry
    boiler = await registry.register(
        "demo",
        "Boiler room",
        [("serial", "BR-0001")],
        manufacturer="Acme",
        model="Thermo 3",
        sw_version="2.4.1",
    )
    tank = await registry.register(
        "tank_node",
        "Rain tank",
        [("mac", "a4:cf:12:0b:9e:01")],
        manufacturer="Fieldhub",
        model="Tank node",
        sw_version="1.3.0",
    )
    old = await registry.register(
        "demo",
        "Old pump",
        [("serial", "OP-17")],
        manufacturer="Acme",
        model="P1",
        sw_version="0.9.0",
    )
    await registry.update(boiler.id, area="Basement")
    await registry.update(tank.id, area="Garden")
    ui.devices = {"boiler": boiler.id, "tank": tank.id, "old": old.id}
    states = hub.states
    states.set(
        "sensor.boiler_temperature",
        "61.5",
        {
            "friendly_name": "Boiler temperature",
            "unit_of_measurement": "°C",
            "device_class": "temperature",
            "state_class": "measurement",
            "device_id": boiler.id,
        },
    )
    states.set(
        "sensor.boiler_pressure",
        "1.8",
        {
            "friendly_name": "Boiler pressure",
            "unit_of_measurement": "bar",
            "device_class": "pressure",
            "state_class": "measurement",
            "device_id": boiler.id,
        },
    )
    states.set(
        "sensor.rain_tank_level",
        "72",
        {
            "friendly_name": "Rain tank level",
            "unit_of_measurement": "%",
            "state_class": "measurement",
            "device_id": tank.id,
        },
    )
    states.set(
        "binary_sensor.rain_tank_online",
        "on",
        {
            "friendly_name": "Rain tank online",
            "device_class": "connectivity",
            "device_id": tank.id,
        },
    )
    states.set(
        "sensor.old_pump_flow",
        "unavailable",
        {
            "friendly_name": "Old pump flow",
            "unit_of_measurement": "L/h",
            "device_id": old.id,
        },
    )
    states.set(
        "sensor.outdoor_temperature",
        "12.3",
        {
            "friendly_name": "Outdoor temperature",
            "unit_of_measurement": "°C",
            "device_class": "temperature",
            "state_class": "measurement",
        },
    )
    await hub.notices.create("Welcome", "The hub is running.", source="e2e", notice_id="welcome")


@pytest_asyncio.fixture
async def ui_hub(built_ui: Path, start_hub: Callable[..., Awaitable[Hub]]) -> AsyncIterator[UiHub]:
    """A full hub (recorder, automations, alerts, HTTP with the UI) with seeded data."""
    _chromium_or_skip()
    port = free_port()
    hub = await start_hub(
        {
            "configuration.yaml": CONFIGURATION.format(port=port),
            "automations.yaml": AUTOMATIONS,
        }
    )
    server = hub.data[HTTP_SERVER]
    async with aiohttp.ClientSession() as session:
        ui = UiHub(hub, server, f"http://127.0.0.1:{port}", session)
        for role in Role:
            user = await server.auth.add_user(role.value, role, PASSWORDS[role.value])
            ui.tokens[role.value] = server.auth.issue_access_token(user).token
        await _seed(ui)
        yield ui


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Any]:
    """Headless Chromium from the system package."""
    _chromium_or_skip()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            await instance.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Awaitable[None]]:
    """``await screenshot(page, "overview")`` saves test-artifacts/ui/overview.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    async def take(page: Any, name: str) -> None:
        await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


async def login(browser: Any, ui: UiHub, role: str, **context_options: Any) -> Any:
    """A new page signed in as ``role`` on the overview."""
    context = await browser.new_context(**context_options)
    page = await context.new_page()
    await page.goto(ui.base_url + "/")
    await page.get_by_label("User name").fill(role)
    await page.get_by_label("Password").fill(PASSWORDS[role])
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("heading", name="Overview").wait_for()
    await page.locator('[data-testid="connection"][data-status="connected"]').wait_for()
    return page
