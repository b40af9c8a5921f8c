"""Simulated factory machines: an HTTP ingest client and a Modbus TCP PLC (pymodbus server).

Each :class:`MachineModel` runs through a deterministic production pattern: mostly running
with one part per ideal cycle, a stop now and then with a reason code, a reject every so
often, each measured value (a temperature by default) drifting around its baseline.
``hub sim factory`` wires it up; the integration's ``simulate:`` option and the tests import
the pieces directly.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from pymodbus.constants import ExcCodes
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

HR_STATE, HR_TOTAL, HR_REJECTS, HR_TEMPERATURE = 0, 2, 4, 6
"""Holding register layout of the simulated PLC (0-based addresses)."""
REGISTERS = 16
TEMPERATURE = "temperature"
DRIFT = 5.0 / 60.0
"""Slow drift of a measured value, as a fraction of its baseline (±5 °C around 60 °C)."""
NOISE = 0.5 / 60.0
"""Standard deviation of the reading noise, as a fraction of the baseline."""


def _default_sensors() -> dict[str, float]:
    return {TEMPERATURE: 60.0}


@dataclass(slots=True)
class MachineModel:
    """A deterministic machine: state code, counters and measured values.

    ``sensors`` maps each measured value's name to its baseline; the one named
    ``temperature`` is kept in :attr:`temperature` (the PLC's register 6), the others in
    :attr:`levels`.
    """

    machine_id: str
    seed: int = 1
    cycle_s: float = 1.0
    total: int = 0
    rejects: int = 0
    state_code: int = 10_000
    temperature: float = 60.0
    sensors: dict[str, float] = field(default_factory=_default_sensors)
    levels: dict[str, float] = field(init=False)
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.levels = {
            name: baseline for name, baseline in self.sensors.items() if name != TEMPERATURE
        }

    def step(self, seconds: float) -> None:
        """Advance the model by ``seconds``."""
        roll = self.rng.random()
        if self.state_code == 10_000 and roll < 0.01:
            self.state_code = self.rng.choice([40_000, 100_000, 180_000])
        elif self.state_code != 10_000 and roll < 0.2:
            self.state_code = 10_000
        if self.state_code == 10_000:
            made = int(seconds / self.cycle_s + self.rng.random())
            self.total = (self.total + made) % (1 << 32)
            if made and self.rng.random() < 0.03:
                self.rejects += 1
        wave = math.sin(time.monotonic() / 60.0)
        for name, baseline in self.sensors.items():
            level = baseline * (1.0 + DRIFT * wave) + self.rng.gauss(0, abs(baseline) * NOISE)
            if name == TEMPERATURE:
                self.temperature = level
            else:
                self.levels[name] = level

    def values(self) -> dict[str, Any]:
        """The ingest ``values`` object of the current state."""
        state = "running" if self.state_code == 10_000 else "down"
        values: dict[str, Any] = {
            "run_state": state,
            "total": self.total,
            "rejects": self.rejects,
        }
        for name in self.sensors:
            level = self.temperature if name == TEMPERATURE else self.levels[name]
            values[name] = round(level, 2)
        if state == "down":
            values["reason"] = self.state_code
        return values

    def registers(self) -> list[int]:
        """The holding registers: state (uint32), total (uint32), rejects, temperature x10."""
        words = [0] * REGISTERS
        for address, value in (
            (HR_STATE, self.state_code),
            (HR_TOTAL, self.total),
            (HR_REJECTS, self.rejects),
        ):
            words[address], words[address + 1] = (value >> 16) & 0xFFFF, value & 0xFFFF
        words[HR_TEMPERATURE] = round(self.temperature * 10) & 0xFFFF
        return words


class PlcServer:
    """A pymodbus TCP server exposing a :class:`MachineModel` as holding registers."""

    def __init__(self, model: MachineModel, host: str = "127.0.0.1", port: int = 5020) -> None:
        self.model = model
        self.host = host
        self.port = port
        device = SimDevice(
            id=0,
            simdata=[
                SimData(0, count=REGISTERS, values=0, datatype=DataType.REGISTERS),
            ],
            action=self._action,
        )
        self._server = ModbusTcpServer(device, address=(host, port))

    async def _action(
        self,
        function_code: int,
        start_address: int,
        address: int,
        count: int,
        registers: list[int],
        set_values: list[int] | list[bool] | None,
    ) -> ExcCodes | None:
        words = self.model.registers()
        registers[: len(words)] = words
        return None

    async def start(self) -> None:
        """Serve in the background."""
        await self._server.serve_forever(background=True)

    async def stop(self) -> None:
        """Stop serving and close connections."""
        await self._server.shutdown()  # type: ignore[no-untyped-call]


@asynccontextmanager
async def running_plc(
    model: MachineModel, port: int, host: str = "127.0.0.1"
) -> AsyncIterator[PlcServer]:
    """A PLC serving ``model`` for the duration of the block."""
    server = PlcServer(model, host, port)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


class IngestClient:
    """Pushes a machine's readings to ``POST /api/ingest`` in batches."""

    def __init__(self, session: aiohttp.ClientSession, hub_url: str, token: str) -> None:
        self._session = session
        self._url = hub_url.rstrip("/") + "/api/ingest"
        self._headers = {"Authorization": f"Bearer {token}"}

    async def send(self, readings: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        """POST one batch; retry after ``Retry-After`` on 429. Returns status and body."""
        while True:
            async with self._session.post(
                self._url, json={"readings": readings}, headers=self._headers
            ) as response:
                body = await response.json(content_type=None)
                if response.status != 429:
                    return response.status, body
                await asyncio.sleep(float(response.headers.get("Retry-After", "1")))


def read_key_file(path: Path) -> dict[str, str]:
    """``SITE/AREA/MACHINE TOKEN`` per line (``#`` comments allowed)."""
    keys = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            machine, _, token = line.partition(" ")
            keys[machine] = token.strip()
    return keys


async def push_forever(
    client: IngestClient, model: MachineModel, interval: float, batch: int
) -> None:
    """Step the model every ``interval`` and send every ``batch`` readings."""
    buffer: list[dict[str, Any]] = []
    while True:
        model.step(interval)
        buffer.append({"ts": int(time.time() * 1000), "values": model.values()})
        if len(buffer) >= batch:
            status, body = await client.send(buffer)
            if status != 200:
                print(f"{model.machine_id}: {status} {body}", file=sys.stderr)
            buffer = []
        await asyncio.sleep(interval)


async def main(args: argparse.Namespace) -> int:
    """Entry point of ``hub sim factory``."""
    keys = read_key_file(Path(args.key_file)) if args.key_file else {}
    if args.hub and not keys:
        print("error: --hub needs --key-file with a token per machine", file=sys.stderr)
        return 2
    ids = list(keys) or [f"site1/area1/m{n + 1}" for n in range(args.machines)]
    models = [MachineModel(machine_id, seed=n + 1) for n, machine_id in enumerate(ids)]
    plc = None
    if args.modbus_port:
        plc = PlcServer(models[0], port=args.modbus_port)
        await plc.start()
        print(f"PLC for {models[0].machine_id} on 127.0.0.1:{args.modbus_port}")
    try:
        async with aiohttp.ClientSession() as session:
            tasks = [
                asyncio.create_task(
                    push_forever(
                        IngestClient(session, args.hub, keys[m.machine_id]),
                        m,
                        args.interval,
                        args.batch,
                    )
                )
                for m in models
                if args.hub
            ]
            print(f"simulating {len(models)} machines")
            await asyncio.gather(*tasks) if tasks else await asyncio.Event().wait()
    finally:
        if plc is not None:
            await plc.stop()
    return 0
