"""Every pymodbus call of the hub, in one place (supported range: pymodbus >= 3.10, < 4).

pymodbus renamed ``unit=`` to ``slave=`` (3.3) and ``slave=`` to ``device_id=`` (3.10), and
removed the payload decoder in favour of the client's ``convert_from_registers``; keeping the
calls here means a future rename touches this module only.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from pymodbus.client import AsyncModbusTcpClient
from pymodbus.exceptions import ConnectionException, ModbusException

DATA_TYPES = {
    "int16": AsyncModbusTcpClient.DATATYPE.INT16,
    "uint16": AsyncModbusTcpClient.DATATYPE.UINT16,
    "int32": AsyncModbusTcpClient.DATATYPE.INT32,
    "uint32": AsyncModbusTcpClient.DATATYPE.UINT32,
    "float32": AsyncModbusTcpClient.DATATYPE.FLOAT32,
}
REGISTER_COUNT = {"int16": 1, "uint16": 1, "int32": 2, "uint32": 2, "float32": 2}


class ModbusConnectionError(Exception):
    """The PLC cannot be reached (connect failed, connection lost, timeout)."""


class ModbusResponseError(Exception):
    """The PLC answered with a Modbus exception (illegal address, illegal function…)."""


def decode(registers: list[int], data_type: str, word_order: str) -> float:
    """Registers as a number of ``data_type`` with ``word_order`` ``big`` or ``little``."""
    order: Literal["big", "little"] = "little" if word_order == "little" else "big"
    value = AsyncModbusTcpClient.convert_from_registers(
        registers, DATA_TYPES[data_type], word_order=order
    )
    if not isinstance(value, int | float):
        raise ModbusResponseError(f"unexpected decoded value {value!r}")
    return float(value)


def encode(value: float, data_type: str, word_order: str) -> list[int]:
    """The registers holding ``value`` (for simulators and tests)."""
    order: Literal["big", "little"] = "little" if word_order == "little" else "big"
    number: int | float = value if data_type == "float32" else int(value)
    return AsyncModbusTcpClient.convert_to_registers(
        number, DATA_TYPES[data_type], word_order=order
    )


class ModbusAdapter:
    """One TCP connection to a PLC; reconnecting is the caller's decision."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self._timeout = timeout
        self._client = AsyncModbusTcpClient(
            host, port=port, timeout=timeout, retries=0, reconnect_delay=0
        )

    @property
    def connected(self) -> bool:
        """Whether the connection is up."""
        return bool(self._client.connected)

    async def connect(self) -> None:
        """Connect; :class:`ModbusConnectionError` when the PLC does not answer."""
        try:
            ok = await asyncio.wait_for(self._client.connect(), self._timeout)
        except (TimeoutError, OSError, ModbusException) as err:
            raise ModbusConnectionError(str(err) or type(err).__name__) from err
        if not ok:
            raise ModbusConnectionError("connection refused or timed out")

    async def read(
        self, register_type: str, address: int, count: int, device_id: int
    ) -> list[int] | list[bool]:
        """Read ``count`` registers (or bits) of ``register_type`` at 0-based ``address``."""
        calls: dict[str, Any] = {
            "holding": self._client.read_holding_registers,
            "input": self._client.read_input_registers,
            "coil": self._client.read_coils,
            "discrete": self._client.read_discrete_inputs,
        }
        try:
            response = await asyncio.wait_for(
                calls[register_type](address, count=count, device_id=device_id), self._timeout
            )
        except (TimeoutError, ConnectionException, OSError) as err:
            raise ModbusConnectionError(str(err) or type(err).__name__) from err
        except ModbusException as err:
            raise ModbusConnectionError(str(err)) from err
        if response.isError():
            code = getattr(response, "exception_code", None)
            raise ModbusResponseError(
                f"{register_type} {address}: Modbus exception {code} "
                f"({'illegal address' if code == 2 else 'refused'})"
            )
        if register_type in ("coil", "discrete"):
            bits: list[bool] = list(response.bits[:count])
            return bits
        registers: list[int] = list(response.registers)
        return registers

    def close(self) -> None:
        """Close the connection."""
        self._client.close()
