"""Log in, watch values change live, open charts, keep the session, log out."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from .conftest import UiHub, login

pytestmark = pytest.mark.e2e


def card(page: Any, entity_id: str) -> Any:
    return page.locator(f'a[data-entity="{entity_id}"]')


async def test_login_live_update_and_logout(ui_hub: UiHub, browser: Any, screenshot: Any) -> None:
    page = await login(browser, ui_hub, "admin")
    boiler = card(page, "sensor.boiler_temperature")
    await boiler.wait_for()
    assert await boiler.get_attribute("data-state") == "61.5"
    # Grouped by area and device; the device whose entities are all unavailable is offline.
    await page.get_by_role("heading", name="Basement").wait_for()
    old_pump = page.locator(f'[data-device="{ui_hub.devices["old"]}"]')
    await old_pump.get_by_test_id("device-offline").wait_for()
    flow = card(page, "sensor.old_pump_flow")
    assert "Unavailable" in await flow.inner_text()

    await ui_hub.set_state("sensor.boiler_temperature", "64.25")
    await page.locator('a[data-entity="sensor.boiler_temperature"][data-state="64.25"]').wait_for(
        timeout=5000
    )
    assert "64.25" in (await boiler.inner_text()).replace(",", ".") or "64.3" in (
        await boiler.inner_text()
    )
    await screenshot(page, "overview")

    # Search narrows the cards.
    await page.get_by_label("Search entities").fill("tank")
    await card(page, "sensor.boiler_temperature").wait_for(state="detached")
    assert await card(page, "sensor.rain_tank_level").count() == 1
    await page.get_by_label("Search entities").fill("")

    # The session survives a reload (refresh token); logging out forgets it.
    await page.reload()
    await page.get_by_role("heading", name="Overview").wait_for()
    await page.get_by_role("button", name="Log out").click()
    await page.get_by_role("button", name="Log in").wait_for()
    await page.reload()
    await page.get_by_role("button", name="Log in").wait_for()
    await page.context.close()


async def test_wrong_password_is_refused(ui_hub: UiHub, browser: Any) -> None:
    page = await (await browser.new_context()).new_page()
    await page.goto(ui_hub.base_url + "/")
    await page.get_by_label("User name").fill("admin")
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Log in").click()
    alert = page.get_by_role("alert")
    await alert.wait_for()
    assert "invalid" in (await alert.inner_text()).lower()
    await page.context.close()


async def test_entity_chart_ranges_and_csv(ui_hub: UiHub, browser: Any, screenshot: Any) -> None:
    # 91 °C runs "Tell when the boiler is hot": its trace names the entity, so a viewer
    # (who may not read automation configurations) sees it as related.
    for value in ("62", "63.5", "91", "64"):
        await ui_hub.set_state("sensor.boiler_temperature", value)
    page = await login(browser, ui_hub, "viewer")
    await card(page, "sensor.boiler_temperature").click()
    await page.get_by_role("heading", name="Boiler temperature").wait_for()
    await page.locator("fh-history-chart canvas").first.wait_for()
    assert await page.get_by_test_id("entity-state").inner_text() in ("64 °C", "64.0 °C")
    await page.get_by_role("heading", name="Related automations").wait_for()
    await page.get_by_role("link", name="Tell when the boiler is hot").wait_for()
    await screenshot(page, "entity")

    await page.get_by_role("button", name="1 h").click()
    await page.locator("fh-history-chart canvas").first.wait_for()
    await page.get_by_role("button", name="7 d").click()
    await page.get_by_text("Recorded history").or_(page.get_by_text("statistics")).first.wait_for()
    await page.get_by_role("button", name="Earlier").click()
    await page.get_by_role("button", name="24 h").click()
    await page.locator("fh-history-chart canvas").first.wait_for()

    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Download CSV").click()
    download = await download_info.value
    assert download.suggested_filename == "sensor.boiler_temperature.csv"
    path = await download.path()
    text = await asyncio.get_running_loop().run_in_executor(None, path.read_text)
    assert text.startswith("entity_id,state,last_changed,last_updated")
    assert "sensor.boiler_temperature,91" in text
    await page.context.close()
