"""The recorder's tables (schema version :data:`SCHEMA_VERSION`).

The tables live on their own metadata, not on :class:`hub.database.base.Base`: the recorder
owns their shape through :mod:`hub.recorder.migrations`, so a fresh database gets them from
``create_all`` here and an older one is upgraded step by step, never half-created by the
hub's start-up.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from hub.database.base import NAMING

SCHEMA_VERSION = 6
"""The schema this code writes; older databases are migrated up to it."""

ID = BigInteger().with_variant(Integer(), "sqlite")
TS = Float(precision=53)


class RecorderBase(DeclarativeBase):
    """Base of the recorder's tables (separate metadata, created by the recorder)."""

    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[RecorderBase]) -> Table:
    """The Core table of a recorder model."""
    return cast(Table, model.__table__)


class SchemaChange(RecorderBase):
    """One applied schema version."""

    __tablename__ = "schema_changes"

    change_id: Mapped[int] = mapped_column(ID, primary_key=True)
    schema_version: Mapped[int] = mapped_column(Integer)
    changed_ts: Mapped[float] = mapped_column(TS)


class StatesMeta(RecorderBase):
    """An entity id of one site; states refer to it by ``metadata_id``."""

    __tablename__ = "states_meta"
    __table_args__ = (UniqueConstraint("site_id", "entity_id"),)

    metadata_id: Mapped[int] = mapped_column(ID, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64), default="default")
    entity_id: Mapped[str] = mapped_column(String(255))


class StateAttributes(RecorderBase):
    """A distinct attribute set, shared by every state row that has it."""

    __tablename__ = "state_attributes"

    attributes_id: Mapped[int] = mapped_column(ID, primary_key=True)
    hash: Mapped[int] = mapped_column(BigInteger, index=True)
    shared_attrs: Mapped[str] = mapped_column(Text)


class States(RecorderBase):
    """One recorded state. ``last_changed_ts``/``last_reported_ts`` are NULL when equal to
    ``last_updated_ts`` (they usually are, and NULL costs no space).

    The history index carries ``state_id`` and ``state`` after the entity and time, so a
    history read of one entity (and its downsampling) never visits the table's rows.
    """

    __tablename__ = "states"
    __table_args__ = (
        Index("ix_states_history", "metadata_id", "last_updated_ts", "state_id", "state"),
    )

    state_id: Mapped[int] = mapped_column(ID, primary_key=True)
    metadata_id: Mapped[int] = mapped_column(ForeignKey("states_meta.metadata_id"))
    state: Mapped[str | None] = mapped_column(String(255))
    attributes_id: Mapped[int | None] = mapped_column(
        ForeignKey("state_attributes.attributes_id"), index=True
    )
    last_updated_ts: Mapped[float] = mapped_column(TS)
    last_changed_ts: Mapped[float | None] = mapped_column(TS)
    last_reported_ts: Mapped[float | None] = mapped_column(TS)
    origin_idx: Mapped[int] = mapped_column(SmallInteger, default=0)
    context_id_bin: Mapped[bytes | None] = mapped_column(LargeBinary(16))
    context_user_id_bin: Mapped[bytes | None] = mapped_column(LargeBinary(16))
    context_parent_id_bin: Mapped[bytes | None] = mapped_column(LargeBinary(16))


class StatesBlocks(RecorderBase):
    """One entity's states in one block of ``BLOCK_SECONDS`` (``hub.recorder.blocks``).

    Downsampled history reads these instead of every state: how many states the block
    holds, how many of them are not numbers, its first and last state and its first
    minimum and first maximum, each with the ``(last_updated_ts, state_id)`` that orders it.
    The writer keeps them in the transaction that inserts the states.
    """

    __tablename__ = "states_blocks"
    __table_args__ = ({"sqlite_with_rowid": False},)

    metadata_id: Mapped[int] = mapped_column(
        ID,
        ForeignKey("states_meta.metadata_id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    block_start_ts: Mapped[float] = mapped_column(TS, primary_key=True)
    state_count: Mapped[int] = mapped_column(Integer)
    non_numeric_count: Mapped[int] = mapped_column(Integer)
    first_ts: Mapped[float] = mapped_column(TS)
    first_state_id: Mapped[int] = mapped_column(BigInteger)
    last_ts: Mapped[float] = mapped_column(TS)
    last_state_id: Mapped[int] = mapped_column(BigInteger)
    min_value: Mapped[float | None] = mapped_column(TS)
    min_ts: Mapped[float | None] = mapped_column(TS)
    min_state_id: Mapped[int | None] = mapped_column(BigInteger)
    max_value: Mapped[float | None] = mapped_column(TS)
    max_ts: Mapped[float | None] = mapped_column(TS)
    max_state_id: Mapped[int | None] = mapped_column(BigInteger)


class EventTypes(RecorderBase):
    """A distinct event type."""

    __tablename__ = "event_types"

    event_type_id: Mapped[int] = mapped_column(ID, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64), unique=True)


class EventData(RecorderBase):
    """A distinct event payload, shared by every event row that has it."""

    __tablename__ = "event_data"

    data_id: Mapped[int] = mapped_column(ID, primary_key=True)
    hash: Mapped[int] = mapped_column(BigInteger, index=True)
    shared_data: Mapped[str] = mapped_column(Text)


class Events(RecorderBase):
    """One recorded event (state changes are stored as states, not here)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_site_id_time_fired_ts", "site_id", "time_fired_ts"),)

    event_id: Mapped[int] = mapped_column(ID, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64), default="default")
    event_type_id: Mapped[int] = mapped_column(ForeignKey("event_types.event_type_id"))
    data_id: Mapped[int | None] = mapped_column(ForeignKey("event_data.data_id"), index=True)
    time_fired_ts: Mapped[float] = mapped_column(TS)
    origin_idx: Mapped[int] = mapped_column(SmallInteger, default=0)
    context_id_bin: Mapped[bytes | None] = mapped_column(LargeBinary(16))
    context_user_id_bin: Mapped[bytes | None] = mapped_column(LargeBinary(16))
    context_parent_id_bin: Mapped[bytes | None] = mapped_column(LargeBinary(16))


class StatisticsMeta(RecorderBase):
    """A statistic of one site: what it measures and which columns it fills."""

    __tablename__ = "statistics_meta"
    __table_args__ = (UniqueConstraint("site_id", "statistic_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64), default="default")
    statistic_id: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(32), default="recorder")
    unit_of_measurement: Mapped[str | None] = mapped_column(String(64))
    has_mean: Mapped[bool] = mapped_column(Boolean, default=False)
    has_sum: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str | None] = mapped_column(String(255))


class _StatisticsColumns:
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    metadata_id: Mapped[int] = mapped_column(ForeignKey("statistics_meta.id", ondelete="CASCADE"))
    start_ts: Mapped[float] = mapped_column(TS)
    created_ts: Mapped[float] = mapped_column(TS)
    mean: Mapped[float | None] = mapped_column(TS)
    min: Mapped[float | None] = mapped_column(TS)
    max: Mapped[float | None] = mapped_column(TS)
    last_reset_ts: Mapped[float | None] = mapped_column(TS)
    state: Mapped[float | None] = mapped_column(TS)
    sum: Mapped[float | None] = mapped_column(TS)


class Statistics(_StatisticsColumns, RecorderBase):
    """Hourly statistics (kept until purged by ``keep_statistics_days``)."""

    __tablename__ = "statistics"
    __table_args__ = (UniqueConstraint("metadata_id", "start_ts"),)


class StatisticsShortTerm(_StatisticsColumns, RecorderBase):
    """Five-minute statistics (purged with the states)."""

    __tablename__ = "statistics_short_term"
    __table_args__ = (UniqueConstraint("metadata_id", "start_ts"),)


class StatisticsRuns(RecorderBase):
    """Five-minute periods already compiled, per site."""

    __tablename__ = "statistics_runs"
    __table_args__ = (UniqueConstraint("site_id", "start_ts"),)

    run_id: Mapped[int] = mapped_column(ID, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64), default="default")
    start_ts: Mapped[float] = mapped_column(TS)
