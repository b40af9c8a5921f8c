"""The simulator: its ingest client against a real hub, and its model's invariants."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import aiohttp
from conftest import StartFactory

from integrations.factory_machine.cli import SIMULATOR, load_simulator, register_commands


async def test_sim_client_pushes_readings(
    start_factory: StartFactory, factory_sim: ModuleType
) -> None:
    env = await start_factory()
    token = await env.key("north/press/p1")
    model = factory_sim.MachineModel("north/press/p1", seed=3)
    readings = []
    for n in range(20):
        model.step(1.0)
        values = model.values()
        values.pop("temperature")
        readings.append({"ts": 1_748_952_000_000 + n * 1000, "values": values})
    async with aiohttp.ClientSession() as session:
        client = factory_sim.IngestClient(session, env.client.base_url, token)
        status, body = await client.send(readings)
    assert status == 200 and body["accepted"] == 20
    assert (
        env.runtime.trackers["north/press/p1"].total_count
        == model.total - readings[0]["values"]["total"]
    )


def test_key_file_and_commands(tmp_path: Path, factory_sim: ModuleType) -> None:
    path = tmp_path / "keys.txt"
    path.write_text("# machines\nsite1/a/m1 fh_dev_x.y\n")
    assert factory_sim.read_key_file(path) == {"site1/a/m1": "fh_dev_x.y"}
    names: list[str] = []
    register_commands(lambda name, *_: names.append(name))
    assert names == ["factory key", "sim factory"]
    assert load_simulator(SIMULATOR) is not None
