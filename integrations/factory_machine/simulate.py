"""Simulated machines for demos and tests (the ``simulate:`` option).

The simulator (``firmware/sim/factory_sim.py``, present in a source checkout) runs inside
the hub's process but feeds the hub like real machines do: each simulated machine gets an
ingest key issued through :class:`.keys.KeyManager` (kept in memory only, revoked at
unload) and posts its readings, run state and part counters to the hub's own
``POST /api/ingest`` over HTTP. With ``modbus: true`` a machine that has a ``modbus:``
section is served by a simulated PLC on its configured host and port instead, and the
integration's poller reads it.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import aiohttp

from hub.api import EVENT_HUB_STARTED, Event, Hub, HubError

from .cli import SIMULATOR
from .const import (
    CONF_ALL,
    CONF_BATCH,
    CONF_HOST,
    CONF_INTERVAL,
    CONF_MACHINES,
    CONF_MODBUS,
    CONF_PORT,
    PATH_INGEST,
    SIM_KEY_LABEL,
)
from .registry import Machine, SensorSpec
from .runtime import FactoryRuntime

_LOGGER = logging.getLogger(__name__)

DEFAULT_HTTP_PORT = 8123
SLOWER_THAN_IDEAL = 1.15
"""Simulated cycles take this much longer than the ideal cycle (performance about 87 %)."""
MAX_BUFFERED = 1000
"""Readings kept per machine while the hub's HTTP server does not answer."""
REQUEST_TIMEOUT_S = 10.0


class SimulatorMissing(HubError):
    """``simulate:`` is configured but the simulator is not installed (not a source checkout)."""


def missing_message() -> str:
    """Why ``simulate:`` cannot run without the simulator, and what to do."""
    return (
        f"factory_machine → simulate needs the machine simulator at {SIMULATOR}, which only a "
        "source checkout of Fieldhub has; remove simulate: or run the hub from a checkout"
    )


def hub_base_url(hub: Hub) -> str:
    """Where the hub's own HTTP server listens, seen from the same machine."""
    http = hub.config.get("http")
    port = getattr(http, "server_port", DEFAULT_HTTP_PORT)
    hosts: Sequence[str] = getattr(http, "server_host", ()) or ()
    host = next((h for h in hosts if h not in ("0.0.0.0", "::")), "127.0.0.1")
    host = f"[{host}]" if ":" in host else host
    scheme = "https" if getattr(http, "ssl_certificate", None) else "http"
    return f"{scheme}://{host}:{port}"


def _own_certificate_context(certificate: str) -> ssl.SSLContext:
    """Trust exactly the hub's own certificate (reached by address, so no host name check)."""
    context = ssl.create_default_context(cafile=certificate)
    context.check_hostname = False
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    return context


def sensor_baseline(spec: SensorSpec) -> float:
    """The level a simulated sensor drifts around: its baseline, else a mid-range value."""
    if spec.baseline is not None:
        return spec.baseline
    for low, high in (spec.expected_range, spec.valid_range):
        if low is not None and high is not None:
            return (low + high) / 2
    return 1.0


def build_model(sim: ModuleType, machine: Machine, seed: int) -> Any:
    """A simulator model reporting the machine's configured sensors."""
    ideal = machine.oee.ideal_cycle.default
    cycle = ideal.total_seconds() if ideal is not None else 1.0
    return sim.MachineModel(
        machine.id,
        seed=seed,
        cycle_s=cycle * SLOWER_THAN_IDEAL,
        sensors={spec.name: sensor_baseline(spec) for spec in machine.sensors},
    )


@dataclass(slots=True)
class _Feed:
    """One simulated machine pushing over HTTP."""

    model: Any
    key_id: str
    client: Any
    buffer: list[dict[str, Any]] = field(default_factory=list)
    sending: asyncio.Task[None] | None = None


class SimulatedMachines:
    """The simulated machines of one set-up of the integration."""

    def __init__(
        self, hub: Hub, runtime: FactoryRuntime, config: Mapping[str, Any], sim: ModuleType
    ) -> None:
        self._hub = hub
        self._runtime = runtime
        self._sim = sim
        self._interval: float = config[CONF_INTERVAL]
        self._batch: int = config[CONF_BATCH]
        self._modbus: bool = config[CONF_MODBUS]
        machines = runtime.registry.machines()
        wanted = None if config[CONF_ALL] else set(config[CONF_MACHINES])
        self.machines = [m for m in machines if wanted is None or m.id in wanted]
        self.base_url = hub_base_url(hub)
        self.feeds: dict[str, _Feed] = {}
        self.plcs: dict[str, Any] = {}
        self._plc_models: list[Any] = []
        self._session: aiohttp.ClientSession | None = None
        self._cancel_timer: Callable[[], None] | None = None
        self._unlisten: Callable[[], None] | None = None
        self._unreachable = False
        self._stopped = False

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        """Issue keys, start the simulated PLCs, and tick once the hub (and HTTP) runs."""
        await self._revoke_leftover_keys()
        ssl_context: ssl.SSLContext | bool = True
        certificate = getattr(self._hub.config.get("http"), "ssl_certificate", None)
        if certificate:
            ssl_context = await self._hub.run_in_executor(_own_certificate_context, certificate)
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S),
            connector=aiohttp.TCPConnector(ssl=ssl_context),
        )
        for seed, machine in enumerate(self.machines, start=1):
            model = build_model(self._sim, machine, seed)
            if (
                self._modbus
                and machine.modbus is not None
                and await self._serve_plc(machine, model)
            ):
                continue
            created = await self._runtime.keys.create(machine.id, SIM_KEY_LABEL)
            client = self._sim.IngestClient(self._session, self.base_url, created.token)
            self.feeds[machine.id] = _Feed(model, created.info.key_id, client)
        _LOGGER.info(
            "Simulating %d machines (%d over HTTP to %s, %d as Modbus PLCs)",
            len(self.machines),
            len(self.feeds),
            self.base_url + PATH_INGEST,
            len(self.plcs),
        )
        if self._hub.is_running:
            self._schedule()
        else:
            self._unlisten = self._hub.bus.listen_once(EVENT_HUB_STARTED, self._on_started)

    async def stop(self) -> None:
        """Stop ticking, sending and serving; revoke the simulator's keys."""
        self._stopped = True
        for cancel in (self._cancel_timer, self._unlisten):
            if cancel is not None:
                cancel()
        sending = [f.sending for f in self.feeds.values() if f.sending is not None]
        for task in sending:
            task.cancel()
        await asyncio.gather(*sending, return_exceptions=True)
        for plc in self.plcs.values():
            await plc.stop()
        self.plcs.clear()
        if self._session is not None:
            await self._session.close()
        for feed in self.feeds.values():
            await self._runtime.keys.revoke(feed.key_id)
        self.feeds.clear()

    async def _revoke_leftover_keys(self) -> None:
        """Keys of an earlier run that ended without unloading (a crash or a kill)."""
        ids = [m.id for m in self.machines]
        for info in await self._runtime.keys.list(ids):
            if info.label == SIM_KEY_LABEL and info.revoked_ts is None:
                await self._runtime.keys.revoke(info.key_id)

    async def _serve_plc(self, machine: Machine, model: Any) -> bool:
        settings = machine.modbus or {}
        host, port = settings[CONF_HOST], settings[CONF_PORT]
        plc = self._sim.PlcServer(model, host=host, port=port)
        try:
            await plc.start()
        except OSError as err:
            _LOGGER.error(
                "Cannot serve the simulated PLC of %s on %s:%s (%s); posting its readings "
                "over HTTP instead",
                machine.id,
                host,
                port,
                err,
            )
            return False
        self.plcs[machine.id] = plc
        self._plc_models.append(model)
        return True

    # -- ticking ---------------------------------------------------------------------------
    def _on_started(self, event: Event) -> None:
        self._unlisten = None
        self._schedule()

    def _schedule(self) -> None:
        if not self._stopped:
            self._cancel_timer = self._hub.clock.call_later(self._interval, self._tick)

    def _tick(self) -> None:
        for model in self._plc_models:
            model.step(self._interval)
        stamp = int(self._hub.clock.time() * 1000)
        for machine_id, feed in self.feeds.items():
            feed.model.step(self._interval)
            feed.buffer.append({"ts": stamp, "values": feed.model.values()})
            del feed.buffer[:-MAX_BUFFERED]
            if len(feed.buffer) >= self._batch and (feed.sending is None or feed.sending.done()):
                feed.sending = self._hub.create_task(
                    self._send(machine_id, feed), f"factory_machine simulate {machine_id}"
                )
        self._schedule()

    async def _send(self, machine_id: str, feed: _Feed) -> None:
        readings, feed.buffer = feed.buffer, []
        try:
            status, body = await feed.client.send(readings)
        except (aiohttp.ClientError, TimeoutError) as err:
            feed.buffer = [*readings, *feed.buffer][-MAX_BUFFERED:]
            if not self._unreachable:
                self._unreachable = True
                _LOGGER.error(
                    "Simulated machines cannot reach the hub's HTTP server at %s (%s); "
                    "simulate posts to the hub's own POST %s, so the http component must be "
                    "running there. Retrying every %.0f s",
                    self.base_url,
                    err,
                    PATH_INGEST,
                    self._interval,
                )
            return
        except ValueError:
            _LOGGER.warning("Simulated %s: ingest answered something other than JSON", machine_id)
            return
        if self._unreachable:
            self._unreachable = False
            _LOGGER.info("Simulated machines reach %s again", self.base_url)
        if status != 200:
            _LOGGER.warning("Simulated %s: ingest answered %s %s", machine_id, status, body)
