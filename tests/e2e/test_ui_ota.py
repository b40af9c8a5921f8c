"""The Firmware page: images uploaded through the API and the form, rollouts, role limits."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
import pytest_asyncio

from hub.core.hub import Hub
from hub.http.component import HTTP_SERVER
from hub.http.roles import Role
from hub.testing.network import free_port

from .conftest import AUTOMATIONS, CONFIGURATION, PASSWORDS, ROOT, UiHub, _chromium_or_skip, login

pytestmark = pytest.mark.e2e


def _ota_helpers() -> ModuleType:
    """tests/integrations/ota/ota_helpers.py: real-shaped images and publisher keys."""
    name = "ota_helpers"
    if name not in sys.modules:
        path = ROOT / "tests" / "integrations" / "ota" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


helpers = _ota_helpers()
OTA = """\
ota:
  publisher_keys: ["{key}"]
  max_image_size: 300000
  models:
    {model}:
      slot_size: {slot}
      project_name: {project}
"""


@pytest_asyncio.fixture
async def ota_ui(built_ui: Path, start_hub: Callable[..., Awaitable[Hub]]) -> AsyncIterator[Any]:
    """A hub with the UI, the three users, ota set up and two devices of its model."""
    _chromium_or_skip()
    publisher = helpers.Publisher.new()
    port = free_port()
    section = OTA.format(
        key=publisher.public_text,
        model=helpers.MODEL,
        slot=helpers.SLOT,
        project=helpers.PROJECT,
    )
    hub = await start_hub(
        {
            "configuration.yaml": CONFIGURATION.format(port=port) + section,
            "automations.yaml": AUTOMATIONS,
        }
    )
    server = hub.data[HTTP_SERVER]
    async with aiohttp.ClientSession() as session:
        ui = UiHub(hub, server, f"http://127.0.0.1:{port}", session)
        for role in Role:
            user = await server.auth.add_user(role.value, role, PASSWORDS[role.value])
            ui.tokens[role.value] = server.auth.issue_access_token(user).token
        # The devices' own channel: it accepts every OTA command, as a node that is online.
        hub.services.register(
            "demo", "ota_send", lambda call: {"sent": True}, None, supports_response=True
        )
        for index in (1, 2):
            device = await hub.device_registry.register(
                "demo",
                f"Node {index}",
                [("serial", f"N-{index}")],
                model=helpers.MODEL,
                sw_version="1.0.0",
            )
            ui.devices[f"node{index}"] = device.id
        yield ui, publisher


async def upload(ui: UiHub, image: bytes, version: str, signature: str) -> dict[str, Any]:
    """``POST /api/ota/images`` with the raw image and its fields as query parameters."""
    query = urlencode(
        {
            "model": helpers.MODEL,
            "version": version,
            "signature": signature,
            "release_notes": "Faster echo filter",
        }
    )
    async with ui.session.post(
        f"{ui.base_url}/api/ota/images?{query}",
        data=image,
        headers={"Authorization": f"Bearer {ui.tokens['admin']}"},
    ) as response:
        assert response.status == 201, await response.text()
        answer: dict[str, Any] = await response.json()
        return answer


async def test_images_rollouts_and_viewer(
    ota_ui: Any, browser: Any, screenshot: Any, tmp_path: Path
) -> None:
    ui, publisher = ota_ui
    image = helpers.build_image("1.1.0")
    uploaded = await upload(ui, image, "1.1.0", publisher.sign(image))
    rollout = await ui.api(
        "POST",
        "/api/ota/rollouts",
        {"image_id": uploaded["id"], "name": "Spring update", "manual_gate": True},
        role="operator",
    )

    page = await login(browser, ui, "admin", viewport={"width": 1400, "height": 1000})
    await page.get_by_role("link", name="Firmware", exact=True).click()
    row = page.locator(f'li[data-image="{uploaded["id"]}"]')
    await row.wait_for()
    text = await row.inner_text()
    assert "1.1.0" in text and uploaded["sha256"] in text and "Faster echo filter" in text
    assert "40.0 kB" in text

    # An admin uploads the next version through the form (multipart, signature file).
    newer = helpers.build_image("1.2.0")
    files = {"fw.bin": newer, "fw.bin.sig": (publisher.sign(newer) + "\n").encode()}
    loop = asyncio.get_running_loop()
    for name, data in files.items():
        await loop.run_in_executor(None, (tmp_path / name).write_bytes, data)
    await page.locator("summary", has_text="Upload an image").click()
    form = page.get_by_role("form", name="Upload a firmware image")
    await form.get_by_label("Model").fill(helpers.MODEL)
    await form.get_by_label("Version").fill("1.2.0")
    await form.get_by_label("Image file").set_input_files(str(tmp_path / "fw.bin"))
    await form.get_by_label("Signature file").set_input_files(str(tmp_path / "fw.bin.sig"))
    await form.get_by_label("Release notes").fill("Lower power in sleep")
    await form.get_by_role("button", name="Upload").click()
    await page.get_by_text(f"Uploaded {helpers.MODEL} 1.2.0.").wait_for()
    images = await ui.api("GET", "/api/ota/images")
    assert {i["version"] for i in images} == {"1.1.0", "1.2.0"}
    assert next(i for i in images if i["version"] == "1.2.0")["uploaded_by"] == "admin"

    card = page.locator(f'article[data-rollout="{rollout["id"]}"]')
    await card.get_by_role("button", name="Pause").wait_for()
    await card.locator("summary", has_text="Devices").click()
    await card.locator("tbody tr").nth(1).wait_for()
    assert "Node 1" in await card.locator("tbody").inner_text()
    await page.get_by_role("heading", name="Audit log").wait_for()
    await page.get_by_text("image uploaded").first.wait_for()
    await screenshot(page, "ota")

    await card.get_by_role("button", name="Pause").click()
    await card.get_by_test_id("rollout-status").filter(has_text="paused").wait_for()
    summary = await ui.api("GET", f"/api/ota/rollouts/{rollout['id']}")
    assert summary["status"] == "paused"
    await card.get_by_role("button", name="Resume").wait_for()
    await page.context.close()

    page = await login(browser, ui, "viewer", viewport={"width": 390, "height": 844})
    await page.goto(ui.base_url + "/panel/ota")
    await page.locator(f'li[data-image="{uploaded["id"]}"]').wait_for()
    await page.locator(f'article[data-rollout="{rollout["id"]}"]').wait_for()
    for label in ("Upload an image", "Start a rollout"):
        assert await page.get_by_text(label).count() == 0
    for name in ("Delete", "Pause", "Resume", "Abort", "Approve", "Upload", "Start rollout"):
        assert await page.get_by_role("button", name=name).count() == 0
    assert await page.get_by_role("heading", name="Audit log").count() == 0
    await screenshot(page, "ota-viewer-phone")
    await page.context.close()
