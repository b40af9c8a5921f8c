"""Reconnecting after the hub's server restarts, phones, wall displays and the dark theme."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from .conftest import UiHub, login

pytestmark = pytest.mark.e2e


async def test_reconnects_after_server_restart_keeping_values(ui_hub: UiHub, browser: Any) -> None:
    page = await login(browser, ui_hub, "admin")
    boiler = page.locator('a[data-entity="sensor.boiler_temperature"]')
    await boiler.wait_for()
    # Stop the HTTP and WebSocket server, as a hub restart does.
    await ui_hub.server.__aexit__(None, None, None)
    await page.locator('[data-testid="connection"][data-status="reconnecting"]').wait_for()
    assert await boiler.get_attribute("data-state") == "61.5"  # last known value stays
    ui_hub.hub.states.set(
        "sensor.boiler_temperature",
        "70.5",
        dict(ui_hub.hub.states.get("sensor.boiler_temperature").attributes),
    )
    await asyncio.sleep(0.5)
    await ui_hub.server.__aenter__()
    await page.locator('[data-testid="connection"][data-status="connected"]').wait_for(
        timeout=15000
    )
    # The snapshot after the reconnect brings the change made while the UI was cut off.
    await page.locator('a[data-entity="sensor.boiler_temperature"][data-state="70.5"]').wait_for()
    await ui_hub.set_state("sensor.boiler_temperature", "71")
    await page.locator('a[data-entity="sensor.boiler_temperature"][data-state="71"]').wait_for()
    await page.context.close()


async def test_phone_and_wall_display_layouts(ui_hub: UiHub, browser: Any, screenshot: Any) -> None:
    phone = await login(
        browser,
        ui_hub,
        "operator",
        viewport={"width": 390, "height": 844},
        color_scheme="dark",
        has_touch=True,
        is_mobile=True,
    )
    assert await phone.evaluate("document.documentElement.dataset.theme") == "dark"
    menu = phone.get_by_role("button", name="Menu")
    await menu.wait_for()
    assert not await phone.get_by_role("navigation", name="Main").is_visible()
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the overview scrolls sideways on a phone"
    await screenshot(phone, "phone-overview-dark")
    await menu.click()
    await phone.get_by_role("link", name="Alerts").click()
    await phone.get_by_role("heading", name="Alerts").wait_for()
    assert not await phone.get_by_role("navigation", name="Main").is_visible()
    await screenshot(phone, "phone-alerts-dark")
    await phone.context.close()

    wall = await login(browser, ui_hub, "viewer", viewport={"width": 1920, "height": 1080})
    await wall.locator('a[data-entity="sensor.rain_tank_level"] fh-gauge').wait_for()
    await screenshot(wall, "wall-overview")
    # Keyboard: the theme button cycles auto → light → dark.
    theme = wall.get_by_role("button", name="Theme: auto")
    await theme.focus()
    await wall.keyboard.press("Enter")
    await wall.keyboard.press("Enter")
    assert await wall.evaluate("document.documentElement.dataset.theme") == "dark"
    await wall.context.close()


async def test_keyboard_navigation_reaches_an_entity(ui_hub: UiHub, browser: Any) -> None:
    page = await login(browser, ui_hub, "viewer")
    await page.locator('a[data-entity="sensor.outdoor_temperature"]').wait_for()
    for _ in range(60):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(
            """() => { let e = document.activeElement;
                while (e && e.shadowRoot && e.shadowRoot.activeElement) {
                  e = e.shadowRoot.activeElement;
                }
                return e ? e.getAttribute('data-entity') : null; }"""
        )
        if focused == "sensor.outdoor_temperature":
            break
    else:
        pytest.fail("Tab never reached the outdoor temperature card")
    await page.keyboard.press("Enter")
    await page.get_by_role("heading", name="Outdoor temperature").wait_for()
    await page.context.close()
