"""Automations, alerts and devices through the UI, and what a viewer may not do."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import UiHub, login

pytestmark = pytest.mark.e2e


async def test_toggle_run_trace_and_yaml_errors(
    ui_hub: UiHub, browser: Any, screenshot: Any
) -> None:
    page = await login(browser, ui_hub, "admin")
    await page.get_by_role("link", name="Automations").click()
    row = page.locator('tr[data-automation="boiler_notice"]')
    toggle = row.get_by_role("switch")
    assert await toggle.get_attribute("aria-checked") == "true"
    await toggle.click()
    await row.locator('[role="switch"][aria-checked="false"]').wait_for()
    summary = await ui_hub.api("GET", "/api/automations/boiler_notice")
    assert summary["state"] == "off"
    await toggle.click()
    await row.locator('[role="switch"][aria-checked="true"]').wait_for()
    assert (await ui_hub.api("GET", "/api/automations/boiler_notice"))["state"] == "on"

    await row.get_by_role("button", name="Run now").click()
    await page.get_by_text("Tell when the boiler is hot ran.").wait_for()
    await screenshot(page, "automations")

    await row.get_by_role("link", name="Tell when the boiler is hot").click()
    await page.locator("fh-trace-view li[data-step]").first.wait_for()
    steps = await page.locator("fh-trace-view li[data-step]").evaluate_all(
        "items => items.map(i => i.dataset.step)"
    )
    assert "action/0" in steps
    editor = page.get_by_label("Automation YAML")
    assert "boiler_notice" in await editor.input_value()
    await page.get_by_role("button", name="Edit YAML").click()
    broken = (await editor.input_value()).replace("numeric_state", "no_such_trigger")
    await editor.fill(broken)
    await page.get_by_role("button", name="Save").click()
    errors = page.get_by_test_id("yaml-errors")
    await errors.locator("li").first.wait_for()
    assert "no_such_trigger" in await errors.inner_text()
    await screenshot(page, "automation-yaml-error")
    await editor.fill(
        broken.replace("no_such_trigger", "numeric_state").replace(
            "Tell when the boiler is hot", "Boiler hot notice"
        )
    )
    await page.get_by_role("button", name="Save").click()
    await page.get_by_text("Saved and reloaded.").wait_for()
    assert (await ui_hub.api("GET", "/api/automations/boiler_notice"))["alias"] == (
        "Boiler hot notice"
    )
    await page.context.close()


async def test_acknowledge_and_shelve_alerts(ui_hub: UiHub, browser: Any, screenshot: Any) -> None:
    page = await login(browser, ui_hub, "operator")
    await ui_hub.set_state("sensor.boiler_temperature", "97")
    await ui_hub.set_state("sensor.rain_tank_level", "9")
    banner = page.get_by_test_id("critical-banner")
    await banner.wait_for()
    assert "Boiler temperature high" in await banner.inner_text()
    await banner.click()
    await page.get_by_role("heading", name="Alerts").wait_for()
    rows = page.locator("tr[data-alert]")
    await rows.nth(1).wait_for()
    # Most severe first.
    assert await rows.evaluate_all("rs => rs.map(r => r.dataset.alert)") == [
        "boiler_high",
        "tank_low",
    ]
    await screenshot(page, "alerts")

    boiler = page.locator('tr[data-alert="boiler_high"]')
    await boiler.get_by_role("button", name="Acknowledge").click()
    await banner.wait_for(state="detached")
    assert (await ui_hub.api("GET", "/api/alerts/boiler_high"))["alert"]["acknowledged"]

    tank = page.locator('tr[data-alert="tank_low"]')
    await tank.get_by_role("button", name="Shelve…").click()
    dialog = page.get_by_role("dialog", name="Shelve Rain tank low")
    await dialog.get_by_label("Reason").fill("refill truck on its way")
    await dialog.get_by_label("Duration").select_option(label="1 h")
    await dialog.get_by_role("button", name="Shelve").click()
    await tank.get_by_test_id("shelved").wait_for()
    assert "refill truck on its way" in await tank.get_by_test_id("shelved").inner_text()
    alert = (await ui_hub.api("GET", "/api/alerts/tank_low"))["alert"]
    assert alert["shelving"]["kind"] == "timed"
    assert alert["shelving"]["reason"] == "refill truck on its way"
    assert 3590 <= alert["shelving"]["until"] - alert["shelving"]["since"] <= 3610
    # History lists the occurrences; the severity filter narrows it.
    history = page.locator("fh-alert-history")
    await history.get_by_role("button", name="Refresh").click()
    await history.get_by_role("cell", name="Rain tank low").wait_for()
    await history.get_by_label("Severity").select_option("critical")
    await history.get_by_role("cell", name="Rain tank low").wait_for(state="detached")
    assert await history.get_by_role("cell", name="Boiler temperature high").count() == 1
    await screenshot(page, "alerts-handled")
    await page.context.close()


async def test_remove_device_and_notice(ui_hub: UiHub, browser: Any, screenshot: Any) -> None:
    page = await login(browser, ui_hub, "admin")
    await page.get_by_role("link", name="Devices").click()
    old = page.locator(f'tr[data-device="{ui_hub.devices["old"]}"]')
    await old.wait_for()
    assert "offline" in await old.inner_text()
    assert "0.9.0" in await old.inner_text()
    assert "serial: OP-17" in await old.inner_text()
    await page.get_by_role("heading", name="Discovered").wait_for()
    await screenshot(page, "devices")
    await old.get_by_role("button", name="Remove").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_role("button", name="Remove device").click()
    await old.wait_for(state="detached")
    ids = {d["id"] for d in await ui_hub.api("GET", "/api/devices")}
    assert ui_hub.devices["old"] not in ids and ui_hub.devices["boiler"] in ids

    await page.get_by_role("link", name="Notifications").click()
    notice = page.locator('[data-notice="welcome"]')
    await notice.wait_for()
    await notice.get_by_role("button", name="Dismiss").click()
    await notice.wait_for(state="detached")
    assert await ui_hub.api("GET", "/api/notices") == []
    await page.context.close()


async def test_viewer_sees_no_mutating_controls(
    ui_hub: UiHub, browser: Any, screenshot: Any
) -> None:
    await ui_hub.set_state("sensor.boiler_temperature", "99")
    page = await login(browser, ui_hub, "viewer")
    await page.get_by_test_id("critical-banner").wait_for()

    await page.get_by_role("link", name="Automations").click()
    row = page.locator('tr[data-automation="boiler_notice"]')
    await row.wait_for()
    assert await row.get_by_role("switch").is_disabled()
    assert await page.get_by_role("button", name="Run now").count() == 0

    await page.get_by_role("link", name="Alerts").click()
    await page.locator('tr[data-alert="boiler_high"]').wait_for()
    assert await page.get_by_role("button", name="Acknowledge").count() == 0
    assert await page.get_by_role("button", name="Shelve…").count() == 0

    await page.get_by_role("link", name="Devices").click()
    await page.locator(f'tr[data-device="{ui_hub.devices["boiler"]}"]').wait_for()
    assert await page.get_by_role("button", name="Remove").count() == 0
    assert await page.get_by_role("button", name="Scan the network").count() == 0

    await page.get_by_role("link", name="Notifications").click()
    await page.locator('[data-notice="welcome"]').wait_for()
    assert await page.get_by_role("button", name="Dismiss").count() == 0

    await page.get_by_role("link", name="Settings").click()
    await page.get_by_role("heading", name="Long-lived tokens").wait_for()
    assert await page.get_by_role("heading", name="Users").count() == 0

    await page.goto(ui_hub.base_url + "/automations/boiler_notice")
    await page.get_by_role("heading", name="Runs").wait_for()
    assert await page.get_by_role("button", name="Edit YAML").count() == 0
    await screenshot(page, "viewer-alerts")
    await page.context.close()
