"""A batch's queued states as ``states`` rows and their block summaries, built in one pass.

This is the writer's hot loop: every recorded state goes through it once, so it binds
what it uses to locals and touches each state only here. The blocks are built from the
rows' positions in the batch; :func:`hub.recorder.blocks.merge_blocks` maps them to the
state ids once the rows are inserted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from hub.core.state import State
from hub.recorder.backlog import KIND_LATE, KIND_STATE, Item
from hub.recorder.blocks import BLOCK_SECONDS, Block, Blocks
from hub.recorder.rows import (
    ATTRIBUTES_ID,
    LAST_REPORTED,
    LAST_UPDATED,
    ORIGIN_LATE,
    ORIGIN_LIVE,
    SharedRows,
    context_columns,
)


@dataclass(slots=True)
class StateRows:
    """The rows of one batch's states and the block summaries of those rows."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    """Values in :data:`hub.recorder.rows.STATE_COLUMNS` order, in queue order."""
    blocks: Blocks = field(default_factory=dict)
    """Keyed by ``(metadata_id, block_start_ts)``; state ids are positions in ``rows``."""


def build_state_rows(
    conn: Connection,
    shared: SharedRows,
    metadata: Mapping[str, int],
    items: Sequence[Item],
    reported: dict[str, State],
) -> StateRows:
    """Rows and blocks of the states among ``items`` (live and late).

    A ``last_reported`` move of a state in the same batch is folded into its row and
    removed from ``reported``; the others are left for an ``UPDATE``.
    """
    result = StateRows()
    rows = result.rows
    blocks = result.blocks
    append = rows.append
    blocks_get = blocks.get
    cached_get = shared.last_attributes.get
    unresolved: list[tuple[int, str, str, Mapping[str, Any]]] = []
    floor = math.floor
    width = BLOCK_SECONDS
    numbers: dict[str, float | None] = {}
    open_blocks: dict[int, tuple[Block, float, float]] = {}
    """Metadata id → the block its last row went to, and the times sure to fall in it."""
    open_get = open_blocks.get
    for kind, entity_id, state in items:
        if kind == KIND_STATE:
            origin = ORIGIN_LIVE
        elif kind == KIND_LATE:
            origin = ORIGIN_LATE
        else:
            continue
        metadata_id = metadata[entity_id]
        # One unpacking instead of a field lookup each (State is a tuple).
        _, value_text, attributes, changed_at, updated_at, reported_at, context = state
        hit = cached_get(entity_id)
        attributes_id: int | None
        if hit is not None and hit[0] is attributes:
            attributes_id = hit[1]
        else:
            ref = shared.attributes_id(entity_id, attributes)
            if isinstance(ref, str):
                unresolved.append((len(rows), ref, entity_id, attributes))
                ref = None
            attributes_id = ref
        updated = updated_at.timestamp()
        # The state machine hands out one datetime object for all three when they are equal.
        changed = None if changed_at is updated_at else changed_at.timestamp()
        reported_ts = None if reported_at is updated_at else reported_at.timestamp()
        if context.user_id is None and context.parent_id is None and context.id_if_created is None:
            context_id = user_id = parent_id = None
        else:
            context_id, user_id, parent_id = context_columns(context)
        position = len(rows)
        append(
            (
                metadata_id,
                value_text,
                attributes_id,
                updated,
                None if changed == updated else changed,
                None if reported_ts == updated else reported_ts,
                origin,
                context_id,
                user_id,
                parent_id,
            )
        )
        try:
            value = numbers[value_text]
        except KeyError:
            value = numbers[value_text] = _number(value_text)
        current = open_get(metadata_id)
        if current is not None and current[1] <= updated < current[2]:
            current[0].add(position, updated, value)
            continue
        start = floor(updated / width) * width
        key = (metadata_id, start)
        block = blocks_get(key)
        if block is None:
            block = blocks[key] = Block(position, updated, value)
        else:
            block.add(position, updated, value)
        # The bounds stop a millisecond short: nearer the end, floor() of the division may
        # round up into the next block, so those rows take the exact path above.
        open_blocks[metadata_id] = (block, start, start + width - 0.001)
    if unresolved:
        _resolve_attributes(conn, shared, rows, unresolved)
    if reported:
        _fold_reports(rows, items, reported)
    return result


def _number(text: str) -> float | None:
    """The state as a finite float, else None (as :func:`hub.recorder.downsample.as_float`)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value - value == 0.0 else None  # inf - inf and nan - nan are nan


def _resolve_attributes(
    conn: Connection,
    shared: SharedRows,
    rows: list[tuple[Any, ...]],
    unresolved: Sequence[tuple[int, str, str, Mapping[str, Any]]],
) -> None:
    """Set the ids of attribute sets met for the first time (creating their rows)."""
    ids = shared.resolve_attributes(conn, [text for _, text, _, _ in unresolved])
    for position, text, entity_id, attributes in unresolved:
        attributes_id = ids[text]
        shared.remember_attributes(entity_id, attributes, attributes_id)
        row = rows[position]
        rows[position] = (*row[:ATTRIBUTES_ID], attributes_id, *row[ATTRIBUTES_ID + 1 :])


def _fold_reports(
    rows: list[tuple[Any, ...]], items: Sequence[Item], reported: dict[str, State]
) -> None:
    """Move ``last_reported`` of each entity's newest live row in the batch, when it is the
    reported state, instead of updating the row after inserting it."""
    latest: dict[str, int] = {}
    position = 0
    for kind, entity_id, _ in items:
        if kind == KIND_STATE:
            latest[entity_id] = position
        elif kind != KIND_LATE:
            continue
        position += 1
    for entity_id, state in list(reported.items()):
        index = latest.get(entity_id)
        if index is None or rows[index][LAST_UPDATED] != state.last_updated.timestamp():
            continue
        row = rows[index]
        reported_ts = state.last_reported.timestamp()
        value = None if reported_ts == row[LAST_UPDATED] else reported_ts
        rows[index] = (*row[:LAST_REPORTED], value, *row[LAST_REPORTED + 1 :])
        del reported[entity_id]
