"""Modbus TCP polling: one task per machine with a PLC, each on its own connection.

Every ``interval`` the task reads the mapped registers, scales them (``value * scale +
offset``) and feeds the result through the same path as HTTP ingest. A PLC that does not
answer marks the machine's live entities unavailable and is retried with a capped backoff;
other machines keep polling. A register the PLC refuses (Modbus exception) is reported in
``last_error`` and skipped without dropping the connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hub.api import Hub

from .const import (
    CONF_ADDRESS,
    CONF_DATA_TYPE,
    CONF_DEVICE_ID,
    CONF_HOST,
    CONF_INTERVAL,
    CONF_OFFSET,
    CONF_PORT,
    CONF_REGISTER_TYPE,
    CONF_REGISTERS,
    CONF_SCALE,
    CONF_TARGET,
    CONF_TIMEOUT,
    CONF_WORD_ORDER,
    FIELD_REASON,
    FIELD_REJECTS,
    FIELD_RUN_STATE,
    FIELD_TOTAL,
)
from .modbus_adapter import (
    REGISTER_COUNT,
    ModbusAdapter,
    ModbusConnectionError,
    ModbusResponseError,
    decode,
)
from .payload import RawItem
from .registry import Machine
from .runtime import FactoryRuntime

_LOGGER = logging.getLogger(__name__)
MAX_BACKOFF = 30.0
BIT_STATES = {True: "running", False: "down"}


@dataclass(slots=True)
class PollStatus:
    """What a poller last saw."""

    connected: bool = False
    polls: int = 0
    failures: int = 0
    last_error: str | None = None


def register_value(register: Mapping[str, Any], raw: list[int] | list[bool]) -> float | bool:
    """The scaled value of one mapped register (a bool for coils and discrete inputs)."""
    if register[CONF_REGISTER_TYPE] in ("coil", "discrete"):
        return bool(raw[0])
    words = [int(word) for word in raw]
    value = decode(words, register[CONF_DATA_TYPE], register[CONF_WORD_ORDER])
    return float(value * register[CONF_SCALE] + register[CONF_OFFSET])


def reading_values(values: Mapping[str, float | bool]) -> dict[str, Any]:
    """Map register targets to ingest fields (counters and codes as integers)."""
    fields: dict[str, Any] = {}
    for target, value in values.items():
        if target.startswith("sensor:"):
            fields[target[7:]] = float(value)
        elif target == FIELD_RUN_STATE:
            fields[target] = BIT_STATES[value] if isinstance(value, bool) else int(value)
        elif target in (FIELD_REASON, FIELD_TOTAL, FIELD_REJECTS):
            fields[target] = int(value)
    return fields


class MachinePoller:
    """Polls one machine's PLC until stopped."""

    def __init__(self, hub: Hub, runtime: FactoryRuntime, machine: Machine) -> None:
        self._hub = hub
        self._runtime = runtime
        self.machine = machine
        self.config: Mapping[str, Any] = machine.modbus or {}
        self.status = PollStatus()
        self._adapter: ModbusAdapter | None = None

    async def run(self) -> None:
        """Poll forever; reconnect with backoff after a failure."""
        interval: float = self.config[CONF_INTERVAL]
        backoff = interval
        while True:
            try:
                await self._poll_once()
                backoff = interval
                await asyncio.sleep(interval)
            except ModbusConnectionError as err:
                self._lost(str(err))
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, max(MAX_BACKOFF, interval))

    async def _poll_once(self) -> None:
        if self._adapter is None or not self._adapter.connected:
            self._close()
            self._adapter = ModbusAdapter(
                self.config[CONF_HOST], self.config[CONF_PORT], self.config[CONF_TIMEOUT]
            )
            await self._adapter.connect()
            if not self.status.connected:
                _LOGGER.info("Modbus %s: connected", self.machine.id)
            self.status.connected = True
            self._runtime.set_unavailable(self.machine, True)
        values: dict[str, float | bool] = {}
        errors: list[str] = []
        for register in self.config[CONF_REGISTERS]:
            kind = register[CONF_REGISTER_TYPE]
            count = 1 if kind in ("coil", "discrete") else REGISTER_COUNT[register[CONF_DATA_TYPE]]
            try:
                raw = await self._adapter.read(
                    kind, register[CONF_ADDRESS], count, self.config[CONF_DEVICE_ID]
                )
            except ModbusResponseError as err:
                errors.append(str(err))
                continue
            values[register[CONF_TARGET]] = register_value(register, raw)
        self.status.polls += 1
        self.status.last_error = "; ".join(errors) or None
        if errors:
            _LOGGER.warning("Modbus %s: %s", self.machine.id, self.status.last_error)
        fields = reading_values(values)
        if fields:
            ts_ms = self._hub.clock.time() * 1000.0
            result = self._runtime.ingest(self.machine, [RawItem(0, ts_ms, None, fields)])
            for refused in result.refused:
                _LOGGER.warning("Modbus %s refused: %s", self.machine.id, refused["errors"])

    def _lost(self, reason: str) -> None:
        self.status.failures += 1
        self.status.last_error = reason
        if self.status.connected:
            _LOGGER.warning("Modbus %s: connection lost (%s)", self.machine.id, reason)
        self.status.connected = False
        self._close()
        self._runtime.set_unavailable(self.machine, False)

    def _close(self) -> None:
        if self._adapter is not None:
            self._adapter.close()
            self._adapter = None

    def stop(self) -> None:
        """Close the connection."""
        self._close()


class ModbusPollers:
    """The pollers of every machine with a ``modbus:`` block."""

    def __init__(self, hub: Hub, runtime: FactoryRuntime) -> None:
        self._hub = hub
        self.pollers = {
            m.id: MachinePoller(hub, runtime, m)
            for m in runtime.registry.machines()
            if m.modbus is not None
        }
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Start one task per PLC."""
        for machine_id, poller in self.pollers.items():
            self._tasks.append(self._hub.create_task(poller.run(), f"modbus {machine_id}"))

    async def stop(self) -> None:
        """Cancel the tasks and close the connections."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        for poller in self.pollers.values():
            poller.stop()
