"""MQTT broker fixtures: a real Mosquitto (``mqtt_broker``) and the built-in amqtt broker
(``builtin_mqtt_broker``), each on a free loopback port and stopped after the test.

``broker = await mqtt_broker()`` starts Mosquitto in a temporary directory with persistence
there, so ``await broker.restart()`` keeps sessions and queued QoS 1 messages. Tests using
it are skipped, with the reason, when the ``mosquitto`` binary is not installed.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from hub.testing.network import free_port

START_TIMEOUT = 10.0


async def _wait_listening(host: str, port: int, process: asyncio.subprocess.Process) -> None:
    async with asyncio.timeout(START_TIMEOUT):
        while True:
            if process.returncode is not None:
                raise RuntimeError(f"broker exited with code {process.returncode}")
            try:
                _, writer = await asyncio.open_connection(host, port)
            except OSError:
                await asyncio.sleep(0.02)
                continue
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            return


def _mosquitto_conf(port: int, directory: Path, persistence: bool, extra: str) -> str:
    lines = [
        # Run as whoever runs the tests (as root, Mosquitto would switch to "mosquitto" and
        # could not write its persistence file into our temporary directory).
        f"user {getpass.getuser()}",
        f"listener {port} 127.0.0.1",
        "allow_anonymous true",
        f"persistence {'true' if persistence else 'false'}",
        f"persistence_location {directory}/",
        "autosave_interval 0",
        "max_queued_messages 0",
        "max_queued_bytes 0",
        "log_dest none",
        extra,
    ]
    return "\n".join(lines) + "\n"


@dataclass
class MosquittoBroker:
    """A Mosquitto process; :meth:`restart` keeps its persistence directory and port."""

    host: str
    port: int
    directory: Path
    executable: str
    _process: asyncio.subprocess.Process | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        """True while the process runs."""
        return self._process is not None and self._process.returncode is None

    async def start(self) -> None:
        """Start the process and wait until it accepts connections."""
        self._process = await asyncio.create_subprocess_exec(
            self.executable,
            "-c",
            str(self.directory / "mosquitto.conf"),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await _wait_listening(self.host, self.port, self._process)

    async def stop(self) -> None:
        """Stop gracefully (Mosquitto saves its persistence file on SIGTERM)."""
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            async with asyncio.timeout(START_TIMEOUT):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()

    async def restart(self, downtime: float = 0.0) -> None:
        """Stop, stay down for ``downtime`` seconds, start again on the same port."""
        await self.stop()
        await asyncio.sleep(downtime)
        await self.start()


@dataclass
class BuiltinBroker:
    """The amqtt broker the MQTT integration runs when no broker is configured."""

    host: str
    port: int
    _broker: Any = field(default=None, repr=False)

    async def stop(self) -> None:
        """Shut the broker down."""
        broker, self._broker = self._broker, None
        if broker is not None:
            await broker.shutdown()


def _find_mosquitto() -> str | None:
    return shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/local/sbin")


MqttBrokerFactory = Callable[..., Awaitable[MosquittoBroker]]
BuiltinBrokerFactory = Callable[[], Awaitable[BuiltinBroker]]


@pytest_asyncio.fixture
async def mqtt_broker() -> AsyncIterator[MqttBrokerFactory]:
    """Start Mosquitto brokers: ``await mqtt_broker(persistence=True, extra_config="")``."""
    executable = await asyncio.to_thread(_find_mosquitto)
    if executable is None:
        pytest.skip("mosquitto is not installed (apt-get install mosquitto)")
    started: list[MosquittoBroker] = []
    directories: list[tempfile.TemporaryDirectory[str]] = []

    async def start(*, persistence: bool = True, extra_config: str = "") -> MosquittoBroker:
        tmp = await asyncio.to_thread(tempfile.TemporaryDirectory, prefix="mosquitto-")
        directories.append(tmp)
        directory = Path(tmp.name)
        port = free_port()
        text = await asyncio.to_thread(_mosquitto_conf, port, directory, persistence, extra_config)
        await asyncio.to_thread((directory / "mosquitto.conf").write_text, text, "utf-8")
        broker = MosquittoBroker("127.0.0.1", port, directory, executable)
        started.append(broker)
        await broker.start()
        return broker

    try:
        yield start
    finally:
        for broker in reversed(started):
            await broker.stop()
        for tmp in directories:
            await asyncio.to_thread(tmp.cleanup)


@pytest_asyncio.fixture
async def builtin_mqtt_broker() -> AsyncIterator[BuiltinBrokerFactory]:
    """Start built-in (amqtt) brokers on free ports: ``await builtin_mqtt_broker()``."""
    from amqtt.broker import Broker

    started: list[BuiltinBroker] = []

    async def start() -> BuiltinBroker:
        port = free_port()
        broker = Broker(
            {
                "listeners": {"default": {"type": "tcp", "bind": f"127.0.0.1:{port}"}},
                "plugins": {
                    "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}
                },
            }
        )
        await broker.start()
        handle = BuiltinBroker("127.0.0.1", port, broker)
        started.append(handle)
        return handle

    try:
        yield start
    finally:
        for handle in reversed(started):
            await handle.stop()
