"""Downsampled history from block summaries: which states to keep, without reading them all.

The period's blocks (``states_blocks``) stand in for their states. States are read one by
one only where a block cannot stand in: the partial blocks at both ends of the period,
blocks holding a non-numeric state and blocks holding more states than a bucket. Numeric
points are cut into equal-count buckets as in :func:`hub.recorder.downsample.keep_indices`,
except that a whole block joins the bucket in which its first state falls; each bucket
keeps its first minimum and first maximum, and every non-numeric state and both ends are
kept. When every bucket boundary falls on a block boundary the result is the one
:func:`keep_indices` gives on every row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

from hub.recorder.blocks import BLOCK_SECONDS
from hub.recorder.downsample import as_float

BLOCKS_SCHEMA = 6
"""The first schema version whose blocks cover every recorded state."""
MAX_RANGES = 48
"""More separate row ranges than this to read one by one: reading every row is cheaper."""


class _Unit(NamedTuple):
    """Numeric states standing together: one block, or one state read on its own."""

    numeric: int
    first_id: int
    last_id: int
    low: float
    low_id: int
    high: float
    high_id: int


class _Range(NamedTuple):
    """States of ``[low, high)`` to read one by one."""

    low: float
    high: float


def _mark(dialect: str) -> str:
    return "?" if dialect == "sqlite" else "%s"


def _blocks_ready(cursor: Any) -> bool:
    cursor.execute("SELECT schema_version FROM schema_changes ORDER BY change_id DESC LIMIT 1")
    row = cursor.fetchone()
    return row is not None and int(row[0]) >= BLOCKS_SCHEMA


def _read_blocks(
    cursor: Any, mark: str, metadata_id: int, first: float, stop: float
) -> list[tuple[Any, ...]]:
    cursor.execute(
        "SELECT block_start_ts, state_count, non_numeric_count, first_state_id, "
        "last_state_id, min_value, min_state_id, max_value, max_state_id FROM states_blocks "
        f"WHERE metadata_id = {mark} AND block_start_ts >= {mark} AND block_start_ts < {mark} "
        "ORDER BY block_start_ts",
        (metadata_id, first, stop),
    )
    return list(cursor.fetchall())


def _read_rows(
    cursor: Any, mark: str, metadata_id: int, low: float, high: float
) -> list[tuple[int, str | None]]:
    cursor.execute(
        f"SELECT state_id, state FROM states WHERE metadata_id = {mark} "
        f"AND last_updated_ts >= {mark} AND last_updated_ts < {mark} "
        "ORDER BY last_updated_ts, state_id",
        (metadata_id, low, high),
    )
    return list(cursor.fetchall())


def _bucket_size(blocks: Sequence[tuple[Any, ...]], max_points: int) -> int:
    """The bucket size (in numeric states) that the blocks' counts alone give."""
    fixed = sum(int(block[2]) for block in blocks)
    numeric = sum(int(block[1]) for block in blocks) - fixed
    return -(-numeric // max(1, max(2, max_points - fixed - 2) // 2))


def _plan(
    blocks: Sequence[tuple[Any, ...]],
    start: float,
    end: float,
    first: float,
    stop: float,
    size: int,
) -> list[_Range | _Unit]:
    """The period in order: ranges to read one by one, and blocks standing for their states.

    A block is read row by row when it holds a non-numeric state, or more states than a
    bucket of ``size``.
    """
    plan: list[_Range | _Unit] = []

    def read(low: float, high: float) -> None:
        previous = plan[-1] if plan else None
        if isinstance(previous, _Range) and previous.high == low:
            plan[-1] = _Range(previous.low, high)
        else:
            plan.append(_Range(low, high))

    if start < first:
        read(start, first)
    for block in blocks:
        if block[2] or block[1] > size:
            read(block[0], block[0] + BLOCK_SECONDS)
        else:
            plan.append(_Unit(block[1], *block[3:]))
    if stop < end:
        read(stop, end)
    return plan


def kept_state_ids(
    cursor: Any, dialect: str, metadata_id: int, start: float, end: float, max_points: int
) -> list[int] | None:
    """Ids of the states to draw for ``[start, end)``; None when the blocks cannot answer
    (not built yet, finer than a block, few states, or too many states to read one by one)
    and every state should be read instead."""
    if max_points * BLOCK_SECONDS > end - start or not _blocks_ready(cursor):
        return None
    mark = _mark(dialect)
    first = math.ceil(start / BLOCK_SECONDS) * BLOCK_SECONDS
    stop = math.floor(end / BLOCK_SECONDS) * BLOCK_SECONDS
    blocks = _read_blocks(cursor, mark, metadata_id, first, stop)
    size = _bucket_size(blocks, max_points)
    plan = _plan(blocks, start, end, first, stop, size)
    ranges = sum(1 for step in plan if isinstance(step, _Range))
    one_by_one = sum(block[1] for block in blocks if block[2] or block[1] > size)
    if ranges > MAX_RANGES or 4 * one_by_one > sum(block[1] for block in blocks):
        return None
    units: list[_Unit] = []
    fixed: list[int] = []
    for step in plan:
        if isinstance(step, _Unit):
            units.append(step)
            continue
        for state_id, state in _read_rows(cursor, mark, metadata_id, step.low, step.high):
            value = as_float(state)
            if value is None:
                fixed.append(state_id)
            else:
                units.append(_Unit(1, state_id, state_id, value, state_id, value, state_id))
    numeric = sum(unit.numeric for unit in units)
    if numeric + len(fixed) <= max_points:
        return None
    return sorted(_pick(units, numeric, fixed, max_points))


def _pick(units: Sequence[_Unit], numeric: int, fixed: list[int], max_points: int) -> set[int]:
    picked = set(fixed)
    if not units:
        return picked
    picked.update((units[0].first_id, units[-1].last_id))
    buckets = max(1, max(2, max_points - len(fixed) - 2) // 2)
    size = -(-numeric // buckets)
    position = 0
    current = -1
    low = high = 0.0
    low_id = high_id = 0
    for unit in units:
        bucket = position // size
        position += unit.numeric
        if bucket != current:
            if current >= 0:
                picked.update((low_id, high_id))
            current = bucket
            low, low_id, high, high_id = unit.low, unit.low_id, unit.high, unit.high_id
            continue
        if unit.low < low:
            low, low_id = unit.low, unit.low_id
        if unit.high > high:
            high, high_id = unit.high, unit.high_id
    picked.update((low_id, high_id))
    return picked
