"""Run a real hub from a configuration directory and write states until killed.

Usage: ``python recorder_crash_writer.py CONFIG_DIR``. Every 50 ms it prints how many
states the recorder has committed, so a test can kill it with SIGKILL mid-stream and check
that everything reported as committed survived.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from hub.core.bootstrap import start_hub
from hub.recorder.recorder import RECORDER


async def main(config_dir: Path) -> None:
    hub = await start_hub(config_dir)
    recorder = hub.data[RECORDER]
    await recorder.wait_ready()
    index = 0
    next_report = time.monotonic()
    while True:
        for _ in range(50):
            hub.states.set("sensor.counter", str(index))
            index += 1
        await asyncio.sleep(0.001)
        if time.monotonic() >= next_report:
            print(recorder.stats()["states_written"], index, flush=True)
            next_report += 0.05


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
