"""Tuning of Python's cyclic garbage collector for a long-running hub.

Readings allocate a few container objects each (the parsed payload, the new state, the
event and its data) and most of them live on in the state machine or the recorder's
queue for a while. With CPython's default thresholds (700, 10, 10) an intake of tens of
thousands of readings a second runs a collection every hundred readings and a full
collection, which walks every object in the process, several times a second. After
start-up the hub therefore moves what start-up built out of the collector's reach
(``gc.freeze``) and collects less often: young objects every :data:`GEN0_THRESHOLD`
allocations, full collections a tenth as often as the default. Reference counting still
frees almost everything at once; only garbage in reference cycles waits longer.
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 20_000
GEN1_THRESHOLD = 20
GEN2_THRESHOLD = 100


def settle_collector() -> None:
    """Collect once, freeze what survives and apply the hub's thresholds (after start-up)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, GEN1_THRESHOLD, GEN2_THRESHOLD)
