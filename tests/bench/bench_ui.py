"""Web UI figures in real headless Chromium: load time, bundle size, live-update frame rate.

Run: .venv/bin/python tests/bench/bench_ui.py   (needs /usr/bin/chromium, Playwright for
Python and the built UI: cd frontend && npm ci && npm run build)

1. First load to interactive of the overview with 500 entities (50 devices of 10 sensors):
   a fresh browser context (empty cache) opens ``/`` with a remembered session; the figure is
   the UI's own performance mark ``fieldhub:overview-interactive`` (set when the cards of the
   first snapshot are on screen), from navigation start. Median of 5 loads. Budget ≤ 1.5 s.
2. Bundle size: every file the build wrote, gzip-compressed (level 9), summed; also the part
   loaded for the overview (index.html and the entry chunk with its CSS). Budget ≤ 250 kB.
3. Keeping up: the hub writes 1,000 state changes/s over those 500 entities for 10 s while
   the overview is open; the page counts requestAnimationFrame callbacks per second. The
   figure is the slowest second. Budget ≥ 30 fps; the last values written must be on screen.
"""

from __future__ import annotations

import asyncio
import gzip
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from hub.core.hub import Hub
from hub.core.services_core import register_core_services
from hub.http.component import start_http
from hub.http.config import CONFIG_SCHEMA
from hub.http.roles import Role
from hub.testing.network import free_port

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "hub" / "http" / "static"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEVICES = 50
PER_DEVICE = 10
LOADS = 5
RATE = 1_000
SECONDS = 10
TICK = 0.02

FPS_PROBE = """
window.__frames = [];
const count = (t) => { window.__frames.push(t); requestAnimationFrame(count); };
requestAnimationFrame(count);
"""


def bundle_sizes() -> tuple[int, int, int]:
    """(raw bytes, gzip bytes of everything, gzip bytes loaded for the overview)."""
    raw = total = initial = 0
    index = (STATIC / "index.html").read_text(encoding="utf-8")
    for path in sorted(p for p in STATIC.rglob("*") if p.is_file()):
        data = path.read_bytes()
        packed = len(gzip.compress(data, 9))
        raw += len(data)
        total += packed
        if path.name == "index.html" or path.name in index:
            initial += packed
    return raw, total, initial


async def seed(hub: Hub) -> None:
    for d in range(DEVICES):
        device = await hub.device_registry.register(
            "bench", f"Machine {d:02d}", [("serial", f"M-{d:04d}")], sw_version="1.0.0"
        )
        await hub.device_registry.update(device.id, area=f"Hall {d % 5 + 1}")
        for n in range(PER_DEVICE):
            unit = ("°C", "%", "bar", "L/h", "kW")[n % 5]
            hub.states.set(
                f"sensor.m{d:02d}_value_{n}",
                str(20 + n),
                {
                    "friendly_name": f"Machine {d:02d} value {n}",
                    "unit_of_measurement": unit,
                    "state_class": "measurement",
                    "device_id": device.id,
                },
            )


async def drive(hub: Hub, entity_ids: list[str]) -> tuple[int, dict[str, str]]:
    """Write RATE changes/s for SECONDS, round-robin over the entities."""
    per_tick = int(RATE * TICK)
    written = 0
    last: dict[str, str] = {}
    start = time.perf_counter()
    tick = 0
    while time.perf_counter() - start < SECONDS:
        for _ in range(per_tick):
            entity_id = entity_ids[written % len(entity_ids)]
            old = hub.states.get(entity_id)
            value = f"{(written * 7) % 1000 / 10:.1f}"
            hub.states.set(entity_id, value, old.attributes if old else None)
            last[entity_id] = value
            written += 1
        tick += 1
        await asyncio.sleep(max(0.0, start + tick * TICK - time.perf_counter()))
    return written, last


async def main() -> None:
    from playwright.async_api import async_playwright

    raw, total, initial = bundle_sizes()
    with tempfile.TemporaryDirectory() as tmp:
        hub = Hub(Path(tmp))
        await hub.start_core()
        register_core_services(hub)
        hub.mark_started()
        await seed(hub)
        port = free_port()
        server = await start_http(
            hub,
            CONFIG_SCHEMA({"server_host": "127.0.0.1", "server_port": port}),
            password_rounds=4,
        )
        await server.auth.add_user("bench", Role.VIEWER, "bench-password")
        base = f"http://127.0.0.1:{port}"
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            loads: list[float] = []
            for _ in range(LOADS):
                login = await server.auth.login("bench", "bench-password", "bench")
                assert login is not None
                context = await browser.new_context(viewport={"width": 1920, "height": 1080})
                await context.add_init_script(
                    f"localStorage.setItem('fieldhub.refresh_token', '{login.refresh_token}')"
                )
                page = await context.new_page()
                await page.goto(base + "/")
                await page.wait_for_function(
                    "performance.getEntriesByName('fieldhub:overview-interactive').length > 0",
                    timeout=30_000,
                )
                loads.append(
                    await page.evaluate(
                        "performance.getEntriesByName('fieldhub:overview-interactive')[0].startTime"
                    )
                )
                cards = await page.locator("fh-entity-card").count()
                await context.close()
            page = await (
                await browser.new_context(viewport={"width": 1920, "height": 1080})
            ).new_page()
            login = await server.auth.login("bench", "bench-password", "bench")
            assert login is not None
            await page.add_init_script(
                f"localStorage.setItem('fieldhub.refresh_token', '{login.refresh_token}')"
            )
            await page.goto(base + "/")
            await page.locator('[data-testid="connection"][data-status="connected"]').wait_for()
            await page.evaluate(FPS_PROBE)
            await asyncio.sleep(1.0)
            ids = [f"sensor.m{d:02d}_value_{n}" for d in range(DEVICES) for n in range(PER_DEVICE)]
            t0 = await page.evaluate("performance.now()")
            written, last = await drive(hub, ids)
            t1 = await page.evaluate("performance.now()")
            await asyncio.sleep(0.5)
            frames: list[float] = await page.evaluate("window.__frames")
            on_screen: dict[str, Any] = await page.evaluate(
                """() => { const out = {};
                  const app = document.querySelector('fh-app').shadowRoot;
                  const page = app.querySelector('fh-overview-page').shadowRoot;
                  for (const c of page.querySelectorAll('fh-entity-card')) {
                    const a = c.shadowRoot.querySelector('a');
                    out[a.dataset.entity] = a.dataset.state;
                  }
                  return out; }"""
            )
            await browser.close()
        await hub.stop()

    window = [f for f in frames if t0 <= f <= t1]
    per_second = [
        sum(1 for f in window if t0 + s * 1000 <= f < t0 + (s + 1) * 1000)
        for s in range(int((t1 - t0) // 1000))
    ]
    stale = sum(1 for entity_id, value in last.items() if on_screen.get(entity_id) != value)
    load = statistics.median(loads)
    print(f"overview, {cards} entity cards ({DEVICES} devices × {PER_DEVICE}), {LOADS} cold loads")
    print(
        f"  first load to interactive: median {load:.0f} ms, max {max(loads):.0f} ms"
        f"  (budget ≤ 1500 ms: {'ok' if load <= 1500 else 'OVER'})"
    )
    print(
        f"bundle: {raw / 1024:.1f} kB raw, {total / 1024:.1f} kB gzipped in all, "
        f"{initial / 1024:.1f} kB gzipped for the overview"
        f"  (budget ≤ 250 kB: {'ok' if total <= 250 * 1024 else 'OVER'})"
    )
    worst = min(per_second) if per_second else 0
    print(
        f"live updates: {written:,} state changes in {SECONDS} s ({written / SECONDS:,.0f}/s)"
        f" over {len(ids)} entities"
    )
    print(f"  frames in each second: {per_second}")
    print(
        f"  frames per second: slowest {worst}, mean {statistics.mean(per_second):.1f}"
        f"  (budget ≥ 30 fps: {'ok' if worst >= 30 else 'OVER'});"
        f" cards behind the last value written: {stale} of {len(last)}"
    )


if __name__ == "__main__":
    asyncio.run(main())
