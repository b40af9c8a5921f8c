"""The Factory page: machines with OEE after HTTP ingest, the trend, reports and ingest keys."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from hub.core.hub import Hub
from hub.http.component import HTTP_SERVER
from hub.http.roles import Role
from hub.testing.network import free_port

from .conftest import AUTOMATIONS, CONFIGURATION, PASSWORDS, UiHub, _chromium_or_skip, login

pytestmark = pytest.mark.e2e

MACHINE = "plant1/press/p1"
FACTORY = """\
factory_machine:
  ingest:
    max_clock_skew: 86400
  sites:
    plant1:
      time_zone: UTC
      areas:
        press:
          machines:
            p1:
              name: Press 1
              ideal_cycle_time: 10
              reporting_interval: 10
              sensors:
                - name: oil_temperature
                  unit: "°C"
                  valid_range: [-40, 200]
                  expected_range: [null, 80]
                  baseline: 60
            p2:
              name: Press 2
              ideal_cycle_time: 12
              reporting_interval: 10
"""


@pytest_asyncio.fixture
async def factory_hub(
    built_ui: Path, start_hub: Callable[..., Awaitable[Hub]]
) -> AsyncIterator[UiHub]:
    """A hub with the UI, the three users and two factory machines."""
    _chromium_or_skip()
    port = free_port()
    hub = await start_hub(
        {
            "configuration.yaml": CONFIGURATION.format(port=port) + FACTORY,
            "automations.yaml": AUTOMATIONS,
        }
    )
    server = hub.data[HTTP_SERVER]
    async with aiohttp.ClientSession() as session:
        ui = UiHub(hub, server, f"http://127.0.0.1:{port}", session)
        for role in Role:
            user = await server.auth.add_user(role.value, role, PASSWORDS[role.value])
            ui.tokens[role.value] = server.auth.issue_access_token(user).token
        yield ui


def readings(minutes: int) -> list[dict[str, Any]]:
    """One reading a minute up to now (within today, UTC): running, 5 parts a minute."""
    now = time.time()
    start = max(now - minutes * 60, now - now % 86400 + 1)
    out = []
    for index in range(int((now - start) // 60) + 1):
        out.append(
            {
                "ts": int((start + index * 60) * 1000),
                "seq": index + 1,
                "values": {
                    "run_state": "running",
                    "total": 5 * index,
                    "rejects": index // 4,
                    "oil_temperature": 60.0 + index % 3,
                },
            }
        )
    return out


async def read_file(path: Path, mode: str) -> Any:
    """A downloaded file's text (``"r"``) or bytes (``"rb"``), read off the event loop."""
    loop = asyncio.get_running_loop()
    reader = path.read_text if mode == "r" else path.read_bytes
    return await loop.run_in_executor(None, reader)


async def ingest(ui: UiHub, token: str, body: Any) -> dict[str, Any]:
    async with ui.session.post(
        ui.base_url + "/api/ingest", json=body, headers={"Authorization": f"Bearer {token}"}
    ) as response:
        assert response.status == 200, await response.text()
        answer: dict[str, Any] = await response.json()
        return answer


async def test_factory_oee_after_ingest_and_report_download(
    factory_hub: UiHub, browser: Any, screenshot: Any
) -> None:
    ui = factory_hub
    created = await ui.api("POST", "/api/factory/keys", {"machine": MACHINE, "label": "e2e"})
    batch = readings(30)
    answer = await ingest(ui, created["token"], {"machine": MACHINE, "readings": batch})
    assert answer["accepted"] == len(batch)

    page = await login(browser, ui, "admin", viewport={"width": 1400, "height": 1000})
    await page.get_by_role("link", name="Factory").click()
    await page.get_by_role("heading", name="Factory", exact=True).wait_for()
    card = page.locator(f'article[data-machine="{MACHINE}"]')
    today = card.get_by_test_id("oee-today")
    await today.filter(has_text=re.compile(r"\d+\.\d %")).wait_for()
    assert "Online" in await card.get_by_test_id("online").inner_text()
    oee = await ui.api("GET", f"/api/factory/machines/{MACHINE}/oee?period=day")
    shown = float((await today.inner_text()).split()[0])
    assert shown > 0
    assert shown == pytest.approx(oee["results"][0]["oee"] * 100, abs=0.1)

    await card.get_by_role("button", name="Trend and reports").click()
    await page.get_by_role("heading", name="Press 1", level=2).wait_for()
    await page.get_by_test_id("trend-oee").filter(has_text=re.compile(r"\d+\.\d %")).wait_for()
    await page.locator("fh-oee-trend-chart canvas").first.wait_for()
    await screenshot(page, "factory")

    weekly = re.compile(r"/api/factory/reports/weekly")
    async with page.expect_response(weekly) as info, page.expect_download() as download_info:
        await page.get_by_role("button", name="Download weekly report as CSV").click()
    response = await info.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "machine=plant1%2Fpress%2Fp1" in response.url
    download = await download_info.value
    assert download.suggested_filename.startswith("weekly-plant1_press_p1-")
    assert download.suggested_filename.endswith(".csv")
    text = await read_file(await download.path(), "r")
    assert text.startswith("#")
    await page.get_by_text(f"Saved {download.suggested_filename}.").wait_for()

    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Download monthly report as PDF").click()
    pdf = await read_file(await (await download_info.value).path(), "rb")
    assert pdf.startswith(b"%PDF")
    await page.context.close()


async def test_factory_keys_for_admins_only(
    factory_hub: UiHub, browser: Any, screenshot: Any
) -> None:
    ui = factory_hub
    page = await login(browser, ui, "admin", viewport={"width": 1400, "height": 1000})
    await page.goto(ui.base_url + "/panel/factory")
    keys = page.get_by_role("form", name="Create an ingest key")
    await keys.get_by_label("Machine").select_option("plant1/press/p2")
    await keys.get_by_label("Key label").fill("line PC")
    await keys.get_by_role("button", name="Create key").click()
    token = await page.get_by_test_id("new-key").locator("code").inner_text()
    assert token.startswith("fh_dev_")
    answer = await ingest(
        ui,
        token,
        {"machine": "plant1/press/p2", "readings": [{"values": {"run_state": "idle"}}]},
    )
    assert answer["accepted"] == 1
    listed = await ui.api("GET", "/api/factory/keys")
    key_id = next(k["key_id"] for k in listed["keys"] if k["label"] == "line PC")
    await page.get_by_role("button", name="Done").click()
    await page.get_by_role("button", name=f"Revoke key {key_id}").click()
    await page.get_by_role("dialog").get_by_role("button", name="Revoke").click()
    await page.get_by_text("revoked").first.wait_for()
    async with ui.session.post(
        ui.base_url + "/api/ingest",
        json={"machine": "plant1/press/p2", "readings": [{"values": {"run_state": "idle"}}]},
        headers={"Authorization": f"Bearer {token}"},
    ) as response:
        assert response.status == 401
    await page.context.close()

    page = await login(browser, ui, "viewer", viewport={"width": 390, "height": 844})
    await page.goto(ui.base_url + "/panel/factory")
    await page.locator(f'article[data-machine="{MACHINE}"]').wait_for()
    await page.get_by_role("button", name="Download weekly report as CSV").wait_for()
    assert await page.get_by_role("heading", name="Ingest keys").count() == 0
    assert await page.get_by_role("button", name="Create key").count() == 0
    await screenshot(page, "factory-viewer-phone")
    await page.context.close()
