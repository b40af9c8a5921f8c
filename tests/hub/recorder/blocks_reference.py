"""The block summaries and the block downsampling rule written out plainly, from the states
alone, for the tests to compare the recorder's tables and answers with."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

BLOCK = 60.0


def number(state: str | None) -> float | None:
    """The state as a finite float, else None."""
    try:
        value = float(state)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def expected_blocks(conn: Connection) -> list[tuple[Any, ...]]:
    """Every ``states_blocks`` row the states call for, in key order."""
    rows = conn.execute(
        text(
            "SELECT metadata_id, state_id, last_updated_ts, state FROM states "
            "ORDER BY metadata_id, last_updated_ts, state_id"
        )
    ).all()
    groups: dict[tuple[int, float], list[tuple[int, float, str | None]]] = {}
    for metadata_id, state_id, stamp, state in rows:
        key = (metadata_id, math.floor(stamp / BLOCK) * BLOCK)
        groups.setdefault(key, []).append((state_id, stamp, state))
    result = []
    for (metadata_id, start), members in sorted(groups.items()):
        numeric = [(value, t, i) for i, t, s in members if (value := number(s)) is not None]
        low: tuple[Any, ...] = min(numeric, key=lambda item: item[0]) if numeric else (None,) * 3
        high: tuple[Any, ...] = max(numeric, key=lambda item: item[0]) if numeric else (None,) * 3
        # min()/max() return the first of equal values, and members are in (ts, id) order.
        result.append(
            (
                metadata_id,
                start,
                len(members),
                len(members) - len(numeric),
                members[0][1],
                members[0][0],
                members[-1][1],
                members[-1][0],
                *low,
                *high,
            )
        )
    return result


def stored_blocks(conn: Connection) -> list[tuple[Any, ...]]:
    """The ``states_blocks`` table, in key order, in the shape of :func:`expected_blocks`."""
    return [
        tuple(row)
        for row in conn.execute(
            text(
                "SELECT metadata_id, block_start_ts, state_count, non_numeric_count, first_ts, "
                "first_state_id, last_ts, last_state_id, min_value, min_ts, min_state_id, "
                "max_value, max_ts, max_state_id FROM states_blocks "
                "ORDER BY metadata_id, block_start_ts"
            )
        )
    ]


def block_rule(
    rows: Sequence[tuple[float, str | None]], start: float, end: float, max_points: int
) -> list[int]:
    """Indices kept by the documented block rule from ``(last_updated_ts, state)`` rows of
    ``[start, end)`` in order.

    Whole blocks inside the period that hold only numbers and no more than a bucket (sized
    from those blocks' counts) stand together; every other state stands alone. Units join
    the bucket of their first numeric state; each bucket keeps its first minimum and first
    maximum; non-numeric states and both ends are kept.
    """
    first = math.ceil(start / BLOCK) * BLOCK
    stop = math.floor(end / BLOCK) * BLOCK
    values = [number(state) for _, state in rows]
    blocks: dict[float, list[int]] = {}
    for index, (stamp, _) in enumerate(rows):
        if first <= stamp < stop:
            blocks.setdefault(math.floor(stamp / BLOCK) * BLOCK, []).append(index)
    in_blocks = [index for members in blocks.values() for index in members]
    odd = sum(1 for index in in_blocks if values[index] is None)
    size = -(-(len(in_blocks) - odd) // max(1, max(2, max_points - odd - 2) // 2))
    units: list[list[int]] = []
    fixed: list[int] = []
    seen: set[float] = set()
    for index, (stamp, _) in enumerate(rows):
        key = math.floor(stamp / BLOCK) * BLOCK
        members = blocks.get(key, [])
        whole = members and len(members) <= size and all(values[i] is not None for i in members)
        if whole:
            if key not in seen:
                seen.add(key)
                units.append(members)
        elif values[index] is None:
            fixed.append(index)
        else:
            units.append([index])
    numeric = sum(len(unit) for unit in units)
    picked = set(fixed)
    picked |= {units[0][0], units[-1][-1]}
    size = -(-numeric // max(1, max(2, max_points - len(fixed) - 2) // 2))
    buckets: dict[int, list[int]] = {}
    position = 0
    for unit in units:
        buckets.setdefault(position // size, []).extend(unit)
        position += len(unit)
    for members in buckets.values():
        low = min(values[i] for i in members)  # type: ignore[type-var]
        high = max(values[i] for i in members)  # type: ignore[type-var]
        picked.add(next(i for i in members if values[i] == low))
        picked.add(next(i for i in members if values[i] == high))
    return sorted(picked)
