"""Interpreter settings for a long-running hub, applied once it has started.

**The cyclic garbage collector.** Readings allocate a few container objects each (the parsed
payload, the new state, the event and its data) and most of them live on in the state
machine or the recorder's queue for a while. With CPython's default thresholds (700, 10, 10)
an intake of tens of thousands of readings a second runs a collection every hundred
readings and a full collection, which walks every object in the process, several times a
second. So what start-up built is moved out of the collector's reach (``gc.freeze``) and
collections run less often: young objects every :data:`GEN0_THRESHOLD` allocations, full
collections a tenth as often as the default. Reference counting still frees almost
everything at once; only garbage in reference cycles waits longer.

**The GIL switch interval.** The recorder's writer thread gives up the GIL for each SQLite
step and commit and needs it back afterwards; a busy event loop hands it over only at the
switch interval. :data:`SWITCH_INTERVAL` (1 ms instead of 5 ms) lets the writer keep pace
with the loop under a flood of readings.
"""

from __future__ import annotations

import gc
import sys

GEN0_THRESHOLD = 20_000
GEN1_THRESHOLD = 20
GEN2_THRESHOLD = 100
SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the GIL while another waits for it."""


def tune_interpreter() -> None:
    """Collect once, freeze what survives, apply the thresholds and the switch interval."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, GEN1_THRESHOLD, GEN2_THRESHOLD)
    sys.setswitchinterval(SWITCH_INTERVAL)
