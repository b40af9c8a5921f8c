"""Counter decoding: rollover, reset, duplicates, per-event increments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from integrations.factory_machine.counters import (
    CountDelta,
    CounterSample,
    CounterWidth,
    CountEvent,
    count_between,
    decode_counter,
    deltas_from_events,
)

T0 = datetime(2024, 6, 3, 6, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def samples(*pairs: tuple[float, int]) -> list[CounterSample]:
    return [CounterSample(at(minutes), value) for minutes, value in pairs]


def test_factory_counter_plain_increase() -> None:
    decoded = decode_counter(samples((0, 100), (10, 150), (20, 150), (30, 175)))
    assert decoded.deltas == (CountDelta(at(10), 50), CountDelta(at(30), 25))
    assert (decoded.total, decoded.rollovers, decoded.resets) == (75, 0, 0)


def test_factory_counter_uint16_rollover() -> None:
    decoded = decode_counter(
        samples((0, 64_536), (240, 65_436), (479, 800)), width=CounterWidth.UINT16
    )
    assert decoded.deltas == (CountDelta(at(240), 900), CountDelta(at(479), 900))
    assert (decoded.rollovers, decoded.resets) == (1, 0)


def test_factory_counter_uint32_rollover() -> None:
    top = 2**32 - 10
    decoded = decode_counter(samples((0, top), (1, 5)), width=CounterWidth.UINT32)
    assert decoded.total == 15
    assert decoded.rollovers == 1


def test_factory_counter_decrease_far_from_the_top_is_a_reset() -> None:
    decoded = decode_counter(
        samples((0, 30_000), (120, 30_018), (240, 5), (360, 18)), width=CounterWidth.UINT16
    )
    assert [d.count for d in decoded.deltas] == [18, 5, 13]
    assert (decoded.rollovers, decoded.resets) == (0, 1)


def test_factory_counter_max_increment_narrows_rollover_detection() -> None:
    pairs = samples((0, 65_000), (1, 100))
    assert decode_counter(pairs, width=CounterWidth.UINT16).total == 636
    strict = decode_counter(pairs, width=CounterWidth.UINT16, max_increment=500)
    assert (strict.total, strict.resets) == (100, 1)


def test_factory_counter_without_width_treats_any_decrease_as_reset() -> None:
    decoded = decode_counter(samples((0, 500), (1, 20), (2, 30)))
    assert [d.count for d in decoded.deltas] == [20, 10]
    assert decoded.resets == 1


def test_factory_counter_duplicates_and_order_are_idempotent() -> None:
    ordered = samples((0, 10), (1, 20), (2, 35))
    noisy = [ordered[2], ordered[0], ordered[1], ordered[1], ordered[2]]
    assert decode_counter(noisy) == decode_counter(ordered)
    assert decode_counter(ordered + ordered).total == 25


def test_factory_counter_refuses_values_outside_width_and_negatives() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        decode_counter(samples((0, 70_000)), width=CounterWidth.UINT16)
    with pytest.raises(ValueError, match="negative"):
        CounterSample(at(0), -1)


def test_factory_events_deduplicate_by_id_then_timestamp() -> None:
    events = [
        CountEvent(at(1), 3, "a"),
        CountEvent(at(2), 4, "b"),
        CountEvent(at(1), 3, "a"),
        CountEvent(at(5), 2),
        CountEvent(at(5), 2),
        CountEvent(at(6), 0),
    ]
    deltas = deltas_from_events(events)
    assert deltas == (CountDelta(at(1), 3), CountDelta(at(2), 4), CountDelta(at(5), 2))


def test_factory_count_between_is_half_open() -> None:
    deltas = (CountDelta(at(0), 1), CountDelta(at(10), 2), CountDelta(at(20), 4))
    assert count_between(deltas, at(0), at(20)) == 3
    assert count_between(deltas, at(10), at(21)) == 6
