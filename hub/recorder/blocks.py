"""Per-entity block summaries of ``states`` (the ``states_blocks`` table).

Time is cut into fixed blocks of :data:`BLOCK_SECONDS`; each block row summarises one
entity's states in it (count, non-numeric count, first and last state, first minimum and
first maximum, each with its ``(last_updated_ts, state_id)``). The writer merges the
summary of each batch into the table in the batch's transaction; purge and the schema 6
backfill rebuild whole blocks from the states they hold.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine

from hub.recorder.downsample import as_float

BLOCK_SECONDS = 60.0
"""Length of a block; a block starts at a multiple of it (epoch seconds)."""

StateEntry = tuple[int, int, float, str | None]
"""``(metadata_id, state_id, last_updated_ts, state)`` of one state row."""

COLUMNS = (
    "metadata_id",
    "block_start_ts",
    "state_count",
    "non_numeric_count",
    "first_ts",
    "first_state_id",
    "last_ts",
    "last_state_id",
    "min_value",
    "min_ts",
    "min_state_id",
    "max_value",
    "max_ts",
    "max_state_id",
)


def block_start(timestamp: float) -> float:
    """Start of the block holding ``timestamp``."""
    return math.floor(timestamp / BLOCK_SECONDS) * BLOCK_SECONDS


class Block:
    """The summary of some of an entity's states in one block, built row by row."""

    __slots__ = (
        "count",
        "first_id",
        "first_ts",
        "last_id",
        "last_ts",
        "max_id",
        "max_ts",
        "max_value",
        "min_id",
        "min_ts",
        "min_value",
        "non_numeric",
    )

    def __init__(self, state_id: int, timestamp: float, value: float | None) -> None:
        self.count = 1
        self.non_numeric = 1 if value is None else 0
        self.first_id = self.last_id = state_id
        self.first_ts = self.last_ts = timestamp
        self.min_value = self.max_value = value
        self.min_ts = self.max_ts = None if value is None else timestamp
        self.min_id = self.max_id = None if value is None else state_id

    def add(self, state_id: int, timestamp: float, value: float | None) -> None:
        """Count one more state (in any order: ties go to the earlier ``(ts, id)``)."""
        self.count += 1
        if timestamp > self.last_ts or (timestamp == self.last_ts and state_id > self.last_id):
            self.last_ts, self.last_id = timestamp, state_id
        elif timestamp < self.first_ts or (timestamp == self.first_ts and state_id < self.first_id):
            self.first_ts, self.first_id = timestamp, state_id
        if value is None:
            self.non_numeric += 1
            return
        low = self.min_value
        if (
            low is None
            or value < low
            or (value == low and (timestamp, state_id) < (self.min_ts, self.min_id))
        ):
            self.min_value, self.min_ts, self.min_id = value, timestamp, state_id
        high = self.max_value
        if (
            high is None
            or value > high
            or (value == high and (timestamp, state_id) < (self.max_ts, self.max_id))
        ):
            self.max_value, self.max_ts, self.max_id = value, timestamp, state_id

    def row(
        self, metadata_id: int, start: float, ids: Sequence[int] | None = None
    ) -> tuple[Any, ...]:
        """The ``states_blocks`` row, in :data:`COLUMNS` order.

        With ``ids``, the block was built from positions in a batch, and ``ids[position]``
        is the state id of each (ascending with the positions, so the order is the same).
        """
        first, last, low, high = self.first_id, self.last_id, self.min_id, self.max_id
        if ids is not None:
            first, last = ids[first], ids[last]
            low = None if low is None else ids[low]
            high = None if high is None else ids[high]
        return (
            metadata_id,
            start,
            self.count,
            self.non_numeric,
            self.first_ts,
            first,
            self.last_ts,
            last,
            self.min_value,
            self.min_ts,
            low,
            self.max_value,
            self.max_ts,
            high,
        )


Blocks = dict[tuple[int, float], Block]
"""Block summaries keyed by ``(metadata_id, block_start_ts)``."""


def summarize(entries: Iterable[StateEntry]) -> Blocks:
    """Block summaries of ``entries``, keyed by ``(metadata_id, block_start_ts)``."""
    blocks: Blocks = {}
    width = BLOCK_SECONDS
    floor = math.floor
    for metadata_id, state_id, timestamp, state in entries:
        key = (metadata_id, floor(timestamp / width) * width)
        try:
            value: float | None = float(state)  # type: ignore[arg-type]
            if not math.isfinite(value):  # type: ignore[arg-type]
                value = None
        except (TypeError, ValueError):
            value = as_float(state)
        block = blocks.get(key)
        if block is None:
            blocks[key] = Block(state_id, timestamp, value)
        else:
            block.add(state_id, timestamp, value)
    return blocks


def _marks(conn: Connection) -> str:
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    return ", ".join([mark] * len(COLUMNS))


def _pick(condition: str, columns: Sequence[str]) -> str:
    return ", ".join(
        f"{column} = CASE WHEN {condition} THEN excluded.{column} ELSE states_blocks.{column} END"
        for column in columns
    )


def _precedes(prefix: str, value: str = "") -> str:
    """SQL: the new summary's ``prefix`` state comes before the stored one, ordered by
    ``(value, ts, state_id)`` (``value`` is a template on ``{t}``, the table)."""

    def key(table: str) -> str:
        parts = [f"{table}.{prefix}_ts", f"{table}.{prefix}_state_id"]
        return f"({', '.join([value.format(t=table), *parts] if value else parts)})"

    return f"{key('excluded')} < {key('states_blocks')}"


_FIRST = _precedes("first")
_LAST = f"NOT {_precedes('last')}"
_MIN = "states_blocks.min_value IS NULL OR " + _precedes("min", "{t}.min_value")
_MAX = "states_blocks.max_value IS NULL OR " + _precedes("max", "-{t}.max_value")
_MERGE = (
    "ON CONFLICT (metadata_id, block_start_ts) DO UPDATE SET "
    "state_count = states_blocks.state_count + excluded.state_count, "
    "non_numeric_count = states_blocks.non_numeric_count + excluded.non_numeric_count, "
    + ", ".join(
        (
            _pick(_FIRST, ["first_ts", "first_state_id"]),
            _pick(_LAST, ["last_ts", "last_state_id"]),
            _pick(_MIN, ["min_value", "min_ts", "min_state_id"]),
            _pick(_MAX, ["max_value", "max_ts", "max_state_id"]),
        )
    )
)


MERGE_CHUNK = 500
"""Block rows per ``INSERT`` statement (14 values each: within every backend's limit)."""


def merge_blocks(conn: Connection, blocks: Blocks, ids: Sequence[int] | None = None) -> None:
    """Add the summaries of new states to their blocks (insert, or merge into the row), with
    one multi-row ``INSERT … ON CONFLICT`` per :data:`MERGE_CHUNK` blocks.

    ``ids`` maps the positions the blocks were built from to state ids (:meth:`Block.row`).
    """
    rows = [block.row(metadata_id, start, ids) for (metadata_id, start), block in blocks.items()]
    one = f"({_marks(conn)})"
    for first in range(0, len(rows), MERGE_CHUNK):
        chunk = rows[first : first + MERGE_CHUNK]
        conn.exec_driver_sql(
            f"INSERT INTO states_blocks ({', '.join(COLUMNS)}) VALUES "
            f"{', '.join([one] * len(chunk))} {_MERGE}",
            tuple(value for row in chunk for value in row),
        )


def rebuild_range(conn: Connection, metadata_id: int, first: float, stop: float) -> int:
    """Recompute the blocks of one entity starting in ``[first, stop)`` (block starts)
    from the states they hold; return how many states were read."""
    conn.exec_driver_sql(
        _sql(
            conn,
            "DELETE FROM states_blocks WHERE metadata_id = {m} "
            "AND block_start_ts >= {m} AND block_start_ts < {m}",
        ),
        (metadata_id, first, stop),
    )
    rows = conn.exec_driver_sql(
        _sql(
            conn,
            "SELECT state_id, last_updated_ts, state FROM states "
            "WHERE metadata_id = {m} AND last_updated_ts >= {m} AND last_updated_ts < {m}",
        ),
        (metadata_id, first, stop),
    ).all()
    blocks = summarize((metadata_id, state_id, ts, state) for state_id, ts, state in rows)
    if blocks:
        conn.exec_driver_sql(
            f"INSERT INTO states_blocks ({', '.join(COLUMNS)}) VALUES ({_marks(conn)})",
            [block.row(meta, start) for (meta, start), block in blocks.items()],
        )
    return len(rows)


def _sql(conn: Connection, template: str) -> str:
    return template.format(m="?" if conn.dialect.name == "sqlite" else "%s")


def backfill(engine: Engine, batch: int, report: Callable[[int, int], None]) -> None:
    """Build the blocks of every state already recorded, entity by entity, in committed
    batches of about ``batch`` states cut at block boundaries.

    An entity resumes at its newest block (rebuilt again), so an interrupted backfill goes
    on where it stopped.
    """
    with engine.connect() as conn:
        total = int(conn.exec_driver_sql("SELECT COUNT(*) FROM states").scalar_one())
        entities = [
            (int(meta), resume)
            for meta, resume in conn.exec_driver_sql(
                "SELECT m.metadata_id, (SELECT MAX(b.block_start_ts) FROM states_blocks b "
                "WHERE b.metadata_id = m.metadata_id) FROM states_meta m ORDER BY m.metadata_id"
            )
        ]
    done = 0
    for metadata_id, resume in entities:
        low = -math.inf if resume is None else float(resume)
        while low != math.inf:
            with engine.begin() as conn:
                stamps = (
                    conn.exec_driver_sql(
                        _sql(
                            conn,
                            "SELECT last_updated_ts FROM states WHERE metadata_id = {m} "
                            "AND last_updated_ts >= {m} ORDER BY last_updated_ts "
                            f"LIMIT {batch + 1}",
                        ),
                        (metadata_id, low),
                    )
                    .scalars()
                    .all()
                )
                if not stamps:
                    break
                first = block_start(stamps[0])
                if len(stamps) <= batch:
                    stop = math.inf
                else:  # end at the last block boundary inside the batch, or after one block
                    stop = max(block_start(stamps[-1]), first + BLOCK_SECONDS)
                done += rebuild_range(conn, metadata_id, first, stop)
            report(min(done, total), total)
            low = stop
    report(total, total)
