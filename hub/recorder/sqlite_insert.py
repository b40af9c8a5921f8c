"""Inserting a batch's ``states`` rows into SQLite with as little GIL time as possible.

The writer thread shares the GIL with the event loop, so what matters is the time it
holds it. Two things dominate that on SQLite:

* **One statement per row.** ``executemany`` steps once per row and releases and
  re-takes the GIL around every step; with the loop busy, each re-take waits for the
  loop's switch interval. Multi-row ``INSERT … VALUES (…), (…)`` statements step once
  for up to :data:`ROWS_PER_INSERT` rows, with the GIL released for the whole step.
* **NULL parameters.** The driver binds ``None`` through its adaptation protocol, several
  times slower than a number or a string. Most rows have NULL in five of their ten
  columns (``last_changed_ts``/``last_reported_ts`` equal to ``last_updated_ts``, no
  context ids), so runs of such *plain* rows go in through a statement with those NULLs
  written in the SQL and five parameters a row.

Rows go in grouped by entity (a stable sort: each entity's rows keep their order, so its
state ids still rise with time). In queue order, readings of many entities interleave and
each row lands on another page of the history index (``metadata_id`` first); grouped, an
entity's rows go to one page one after another, and the insert no longer slows down as the
table grows. Statement sizes are powers of two up to :data:`ROWS_PER_INSERT`, so the
driver's statement cache holds every statement the writer uses. All rows go in on one
connection in one transaction, so their rowids are consecutive.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any

from hub.recorder.rows import STATE_COLUMNS

ROWS_PER_INSERT = 2048
"""Most rows per statement (20,480 parameters; SQLite allows 32,766 since 3.32)."""

_OPTIONAL_COLUMNS = (
    "last_changed_ts",
    "last_reported_ts",
    "context_id_bin",
    "context_user_id_bin",
    "context_parent_id_bin",
)
_OPTIONAL = itemgetter(*(STATE_COLUMNS.index(name) for name in _OPTIONAL_COLUMNS))
_PLAIN_VALUES = itemgetter(
    *(i for i, name in enumerate(STATE_COLUMNS) if name not in _OPTIONAL_COLUMNS)
)
_ALL_NULL = (None,) * len(_OPTIONAL_COLUMNS)
_METADATA_ID = itemgetter(STATE_COLUMNS.index("metadata_id"))
_FULL_ROW = f"({', '.join(['?'] * len(STATE_COLUMNS))})"
_PLAIN_ROW = f"({', '.join('NULL' if c in _OPTIONAL_COLUMNS else '?' for c in STATE_COLUMNS)})"
_INSERT = f"INSERT INTO states ({', '.join(STATE_COLUMNS)}) VALUES "


@lru_cache(maxsize=64)
def insert_statement(count: int, plain: bool) -> str:
    """The ``INSERT`` of ``count`` rows, plain (optional columns NULL) or full."""
    return _INSERT + ", ".join([_PLAIN_ROW if plain else _FULL_ROW] * count)


def _sizes(count: int) -> list[int]:
    """``count`` as statement sizes: full ones, then the powers of two of the rest."""
    sizes = [ROWS_PER_INSERT] * (count // ROWS_PER_INSERT)
    rest = count % ROWS_PER_INSERT
    bit = ROWS_PER_INSERT
    while rest:
        bit >>= 1
        if rest & bit:
            sizes.append(bit)
            rest -= bit
    return sizes


def _runs(plain: list[bool]) -> list[tuple[bool, int]]:
    """Runs of equal flags as ``(flag, end)``; all plain (the usual batch) costs one scan."""
    if False not in plain:
        return [(True, len(plain))] if plain else []
    runs: list[tuple[bool, int]] = []
    for position, flag in enumerate(plain):
        if runs and runs[-1][0] is flag:
            runs[-1] = (flag, position + 1)
        else:
            runs.append((flag, position + 1))
    return runs


def insert_states(cursor: sqlite3.Cursor, rows: Sequence[tuple[Any, ...]]) -> list[int]:
    """Insert ``rows`` (values in ``STATE_COLUMNS`` order); return the rowid of each row,
    by its position in ``rows``."""
    total = len(rows)
    order = sorted(range(total), key=list(map(_METADATA_ID, rows)).__getitem__)
    rows = [rows[position] for position in order]
    start = 0
    for kind, end in _runs(list(map(_ALL_NULL.__eq__, map(_OPTIONAL, rows)))):
        for size in _sizes(end - start):
            run = rows[start : start + size]
            values = chain.from_iterable(map(_PLAIN_VALUES, run) if kind else run)
            cursor.execute(insert_statement(size, kind), list(values))
            start += size
    first = int(cursor.execute("SELECT last_insert_rowid()").fetchone()[0]) - total + 1
    ids = [0] * total
    for rank, position in enumerate(order):
        ids[position] = first + rank
    return ids
