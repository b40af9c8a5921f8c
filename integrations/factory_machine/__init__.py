"""Factory machines: HTTP ingest and Modbus polling, OEE per shift and day, analytics, reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub.api import Hub, HubKey, hookimpl

from .cli import load_simulator, register_commands
from .const import CONF_OEE_INTERVAL, CONF_REPORTS, CONF_ROLLING_WINDOW, CONF_SIMULATE
from .modbus_poller import ModbusPollers
from .oee_runtime import OeeRuntime
from .registry import FactoryRegistry
from .report_schedule import ReportScheduler
from .runtime import RUNTIME, FactoryRuntime
from .schema import CONFIG_SCHEMA
from .simulate import SimulatedMachines, SimulatorMissing, missing_message
from .views import register_views

PARTS: HubKey[tuple[OeeRuntime, ModbusPollers, ReportScheduler]] = HubKey("factory_machine_parts")
SIMULATION: HubKey[SimulatedMachines] = HubKey("factory_machine_simulation")


@hookimpl
def fieldhub_config_schema() -> Any:
    """The ``factory_machine:`` section (see :mod:`.schema`)."""
    return CONFIG_SCHEMA


@hookimpl
async def fieldhub_setup(hub: Hub, config: Any) -> None:
    """Build the machines, their devices and entities; start flushing, OEE, polling, reports."""
    section: dict[str, Any] = CONFIG_SCHEMA({}) if config is None else config
    simulate = section.get(CONF_SIMULATE)
    sim = None if simulate is None else await hub.run_in_executor(load_simulator)
    if simulate is not None and sim is None:
        raise SimulatorMissing(missing_message())
    registry = FactoryRegistry.from_config(section)
    runtime = FactoryRuntime(hub, section, registry)
    await runtime.start()
    hub.data[RUNTIME] = runtime
    oee = OeeRuntime(hub, runtime, section[CONF_OEE_INTERVAL], section[CONF_ROLLING_WINDOW])
    pollers = ModbusPollers(hub, runtime)
    reports = ReportScheduler(hub, runtime, section[CONF_REPORTS])
    hub.data[PARTS] = (oee, pollers, reports)
    oee.start()
    pollers.start()
    reports.start()
    if simulate is not None and sim is not None:
        simulation = SimulatedMachines(hub, runtime, simulate, sim)
        hub.data[SIMULATION] = simulation
        try:
            await simulation.start()
        except BaseException:
            await fieldhub_unload(hub)
            raise


@hookimpl
async def fieldhub_unload(hub: Hub) -> None:
    """Stop the simulated machines, polling, OEE and reports; flush pending data."""
    simulation = hub.data.pop(SIMULATION)
    if simulation is not None:
        await simulation.stop()
    parts = hub.data.pop(PARTS)
    if parts is not None:
        oee, pollers, reports = parts
        await reports.stop()
        await pollers.stop()
        await oee.stop()
    runtime = hub.data.pop(RUNTIME)
    if runtime is not None:
        await runtime.stop()


@hookimpl
def fieldhub_register_http_views(hub: Hub, register: Callable[..., None]) -> None:
    """Ingest, machines, OEE, roll-ups, keys and reports."""
    register_views(hub, register)


@hookimpl
def fieldhub_register_cli_commands(register: Callable[..., None]) -> None:
    """``hub factory key …`` and ``hub sim factory``."""
    register_commands(register)


@hookimpl
def fieldhub_register_ui_panels(register: Callable[..., None]) -> None:
    """The Factory page: machines, OEE, trends, reports and ingest keys."""
    register("factory", "Factory", "mdi:factory")
