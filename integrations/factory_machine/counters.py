"""Part and reject counters: monotonic PLC counters with rollover, or per-event increments.

Both inputs become a sorted tuple of :class:`CountDelta` (how many parts were counted, and
when), which the OEE engine sums per window. A decoded count is never negative and decoding
the same samples twice, or a batch that repeats samples, gives the same result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from itertools import pairwise


class CounterWidth(IntEnum):
    """Bit width of a hardware counter register."""

    UINT16 = 16
    UINT32 = 32
    UINT64 = 64


def _require_aware(stamp: datetime) -> None:
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError(f"timestamps must be timezone-aware: {stamp!r}")


@dataclass(frozen=True, slots=True)
class CounterSample:
    """A reading of a monotonic counter: ``value`` at ``ts``."""

    ts: datetime
    value: int

    def __post_init__(self) -> None:
        _require_aware(self.ts)
        if self.value < 0:
            raise ValueError(f"counter value must not be negative: {self.value}")


@dataclass(frozen=True, slots=True)
class CountEvent:
    """``count`` parts reported as one event at ``ts``; ``event_id`` makes re-sends idempotent."""

    ts: datetime
    count: int
    event_id: str | None = None

    def __post_init__(self) -> None:
        _require_aware(self.ts)
        if self.count < 0:
            raise ValueError(f"event count must not be negative: {self.count}")


@dataclass(frozen=True, slots=True)
class CountDelta:
    """``count`` parts counted at ``ts`` (attributed to that instant)."""

    ts: datetime
    count: int


@dataclass(frozen=True, slots=True)
class DecodedCounter:
    """Deltas decoded from counter samples, with how many rollovers and resets were seen."""

    deltas: tuple[CountDelta, ...]
    rollovers: int
    resets: int

    @property
    def total(self) -> int:
        """Sum of all deltas."""
        return sum(delta.count for delta in self.deltas)


def decode_counter(
    samples: Iterable[CounterSample],
    width: CounterWidth | None = None,
    max_increment: int | None = None,
) -> DecodedCounter:
    """Turn monotonic counter readings into deltas.

    The first reading is the baseline; each later reading yields ``new - previous`` at its
    own timestamp. A decrease is never a negative count:

    * with a ``width``, if the wrapped step ``(new - previous) mod 2**width`` is at most
      ``max_increment`` (default: half the range) it is a rollover and yields that step;
    * otherwise (or without a width) it is a reset to zero and yields ``new``.

    Readings are sorted by time; a repeated timestamp keeps the reading given last, so
    duplicate samples are idempotent. Values beyond the width are refused.
    """
    modulus = 1 << int(width) if width is not None else None
    limit = max_increment if max_increment is not None else (modulus or 0) // 2
    by_ts: dict[datetime, CounterSample] = {}
    for sample in samples:
        if modulus is not None and sample.value >= modulus:
            raise ValueError(f"counter value {sample.value} does not fit in {width!r}")
        by_ts[sample.ts] = sample
    ordered = [by_ts[ts] for ts in sorted(by_ts)]
    deltas: list[CountDelta] = []
    rollovers = resets = 0
    for previous, current in pairwise(ordered):
        step = current.value - previous.value
        if step < 0:
            wrapped = step % modulus if modulus is not None else None
            if wrapped is not None and wrapped <= limit:
                step = wrapped
                rollovers += 1
            else:
                step = current.value
                resets += 1
        if step:
            deltas.append(CountDelta(current.ts, step))
    return DecodedCounter(tuple(deltas), rollovers, resets)


def deltas_from_events(events: Iterable[CountEvent]) -> tuple[CountDelta, ...]:
    """Turn per-event increments into deltas, dropping re-sent events.

    Events are keyed by ``event_id`` when they carry one, else by timestamp; a repeated key
    keeps the event given last.
    """
    by_key: dict[str | datetime, CountEvent] = {}
    for event in events:
        by_key[event.event_id if event.event_id is not None else event.ts] = event
    ordered = sorted(by_key.values(), key=lambda event: event.ts)
    return tuple(CountDelta(event.ts, event.count) for event in ordered if event.count)


def count_between(deltas: Sequence[CountDelta], start: datetime, end: datetime) -> int:
    """Sum the deltas whose timestamp lies in ``[start, end)``."""
    return sum(delta.count for delta in deltas if start <= delta.ts < end)
