"""Simulated nodes for demos (the ``simulate:`` option).

The simulators (``firmware/sim/tank_node_sim.py``, present in a source checkout) run inside
the hub's process but are paired exactly like hardware: each advertises over mDNS on the
loopback interface, the hub finds it, registers the device, posts the credentials to the
node's config server, and the node opens its WebSocket session. What a node keeps in its
non-volatile storage (device id, hub URL, secret, boot counter) is saved to
``<config>/.tank_node_sim.json``, so the demo tanks reconnect after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp

from hub.api import Hub, HubError, cancel_and_wait, zeroconf_scan

from .cli import SIMULATOR, load_simulator
from .const import CONF_MAC, CONF_NAME, CONF_PROFILE, SIM_STATE_FILE
from .discovered import DiscoveredNode, DiscoveredNodes
from .pairing import PairingError, PairingTarget, pair_node
from .protocol import SERVICE_TYPE, WS_PATH
from .schema import tank_settings
from .session import TankSessions

_LOGGER = logging.getLogger(__name__)

BROWSER_WAIT_S = 1.5
SCAN_S = 2.0
DISCOVERY_ATTEMPTS = 3
DEFAULT_HTTP_PORT = 8123


class SimulatorMissing(HubError):
    """``simulate:`` is configured but the simulator is not installed (not a source checkout)."""


def default_hub_url(hub: Hub) -> str:
    """Where the local HTTP server listens, seen from the same machine."""
    http = hub.config.get("http")
    port = getattr(http, "server_port", DEFAULT_HTTP_PORT)
    hosts: Sequence[str] = getattr(http, "server_host", ()) or ()
    host = next((h for h in hosts if h not in ("0.0.0.0", "::")), "127.0.0.1")
    host = f"[{host}]" if ":" in host else host
    scheme = "wss" if getattr(http, "ssl_certificate", None) else "ws"
    return f"{scheme}://{host}:{port}{WS_PATH}"


def _read_states(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        _LOGGER.warning("Ignoring unreadable %s: %s", path, err)
        return {}
    return data if isinstance(data, dict) else {}


def _write_states(path: Path, states: Mapping[str, Mapping[str, Any]]) -> None:
    text = json.dumps(states, indent=2, sort_keys=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


class SimulatedFleet:
    """The simulated nodes of one set-up of the integration."""

    def __init__(
        self,
        hub: Hub,
        entries: Sequence[Mapping[str, Any]],
        *,
        hub_url: str,
        discovered: DiscoveredNodes,
        sessions: TankSessions,
        client: aiohttp.ClientSession,
    ) -> None:
        self._hub = hub
        self._entries = {entry[CONF_MAC]: entry for entry in entries}
        self._hub_url = hub_url
        self._discovered = discovered
        self._sessions = sessions
        self._client = client
        self._path = hub.config_dir / SIM_STATE_FILE
        self._sim: ModuleType | None = None
        self.nodes: dict[str, Any] = {}
        self._pairing: asyncio.Task[None] | None = None
        self._started = asyncio.Event()

    async def start(self) -> None:
        """Load the simulator, start every node, and pair the unpaired ones in the background."""
        sim = await self._hub.run_in_executor(load_simulator)
        if sim is None:
            raise SimulatorMissing(
                f"tank_node → simulate needs the node simulator at {SIMULATOR}, which only a "
                "source checkout of Fieldhub has; remove the simulate: entries or run the hub "
                "from a checkout"
            )
        self._sim = sim
        saved = await self._hub.run_in_executor(_read_states, self._path)
        nodes = {
            mac: sim.SimulatedNode(
                mac,
                profile=sim.Profile(**entry[CONF_PROFILE]),
                state=self._node_state(sim, saved.get(mac)),
            )
            for mac, entry in self._entries.items()
        }
        # Advertising over mDNS takes a second or two of probing per node: start them together
        # in the background so the hub's start-up does not wait for it.
        self._pairing = self._hub.create_task(
            self._start_and_pair(nodes), name="tank_node:simulate-pairing"
        )

    async def _start_and_pair(self, nodes: Mapping[str, Any]) -> None:
        self.nodes = dict(nodes)  # in YAML order; stop() stops whatever has started
        await asyncio.gather(*(node.start() for node in nodes.values()))
        self._started.set()
        await self._pair_all()

    async def wait_started(self) -> None:
        """Return once every simulated node advertises and serves its config endpoint."""
        await self._started.wait()

    def _node_state(self, sim: ModuleType, saved: Mapping[str, Any] | None) -> Any:
        if not saved or not saved.get("device_id"):
            boot = int(saved.get("boot", 0)) + 1 if saved else 1
            return sim.NodeState(boot=boot)
        return sim.NodeState(
            device_id=saved["device_id"],
            hub_url=self._hub_url,
            secret=saved["secret"],
            boot=int(saved.get("boot", 0)) + 1,
        )

    async def stop(self) -> None:
        """Stop pairing and every node; keep what the nodes store."""
        if self._pairing is not None:
            await cancel_and_wait(self._pairing)
        await self._save()
        for mac, node in self.nodes.items():
            try:
                await node.stop()
            except Exception:
                _LOGGER.exception("Simulated node %s did not stop cleanly", mac)
        self.nodes.clear()
        self._started.clear()

    async def _save(self) -> None:
        states = {
            mac: {
                "device_id": node.state.device_id,
                "secret": node.state.secret,
                "boot": node.state.boot,
            }
            for mac, node in self.nodes.items()
        }
        if states:
            await self._hub.run_in_executor(_write_states, self._path, states)

    async def _pair_all(self) -> None:
        unpaired = [mac for mac, node in self.nodes.items() if not node.state.paired]
        await asyncio.gather(*(self._pair_logged(mac) for mac in unpaired))
        await self._save()

    async def _pair_logged(self, mac: str) -> None:
        try:
            await self._pair(mac)
        except PairingError as err:
            _LOGGER.error("Simulated tank %s was not paired: %s", mac, err)

    async def _pair(self, mac: str) -> None:
        entry = self._entries[mac]
        if self._hub.device_registry.get_by_identifier("mac", mac) is not None:
            _LOGGER.warning(
                "Simulated tank %s: a device with this MAC is paired but the simulator has no "
                "credentials for it (%s was removed?); remove the device to pair it again",
                mac,
                self._path.name,
            )
            return
        found = await self._discover(mac)
        if found is None:
            _LOGGER.error(
                "Simulated tank %s was not seen over mDNS on the loopback interface; "
                "is multicast blocked?",
                mac,
            )
            return
        target = PairingTarget(
            host=found.host,
            port=found.port,
            mac=mac,
            name=entry[CONF_NAME],
            tank=tank_settings(entry),
            hub_url=self._hub_url,
        )
        device = await pair_node(self._hub, target, session=self._client)
        await self._sessions.add_device(device)

    async def _discover(self, mac: str) -> DiscoveredNode | None:
        """The node as the hub's mDNS browser sees it, else after a short scan of our own."""
        for _ in range(DISCOVERY_ATTEMPTS):
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(BROWSER_WAIT_S):
                    return await self._discovered.wait_for(mac)
            for discovery in await zeroconf_scan(self._hub, [SERVICE_TYPE], SCAN_S):
                self._discovered.handle(discovery)
            found = self._discovered.get(mac)
            if found is not None:
                return found
        return None
