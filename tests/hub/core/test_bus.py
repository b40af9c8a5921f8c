"""EventBus: delivery, filters, coroutine mailboxes, unsubscribe, errors."""

from __future__ import annotations

import asyncio

import pytest

from hub.core.bus import Event, EventBus
from hub.core.context import Context
from hub.core.tasks import TaskTracker


@pytest.fixture
def bus() -> EventBus:
    return EventBus(TaskTracker())


def test_sync_listener_receives_event_inline(bus: EventBus) -> None:
    seen: list[Event] = []
    bus.listen("ping", seen.append)
    ctx = Context(user_id="u1")
    bus.fire("ping", {"n": 1}, ctx)
    assert len(seen) == 1
    assert seen[0].event_type == "ping"
    assert seen[0].data == {"n": 1}
    assert seen[0].context is ctx


def test_no_event_object_built_without_listeners(bus: EventBus) -> None:
    bus.fire("nobody", {"n": 1})
    assert bus.fired_count == 0


def test_filter_runs_before_event_is_built(bus: EventBus) -> None:
    seen: list[Event] = []
    bus.listen("reading", seen.append, event_filter=lambda data: data["v"] > 10)
    bus.fire("reading", {"v": 5})
    assert bus.fired_count == 0
    bus.fire("reading", {"v": 50})
    assert [e.data["v"] for e in seen] == [50]


def test_match_all_listener(bus: EventBus) -> None:
    seen: list[str] = []
    bus.listen("*", lambda e: seen.append(e.event_type))
    bus.fire("a")
    bus.fire("b")
    assert seen == ["a", "b"]


def test_unsubscribe_during_dispatch_is_safe(bus: EventBus) -> None:
    seen: list[str] = []
    unsub_b = None

    def first(event: Event) -> None:
        seen.append("a")
        assert unsub_b is not None
        unsub_b()

    bus.listen("x", first)
    unsub_b = bus.listen("x", lambda e: seen.append("b"))
    bus.fire("x")  # b still receives this one: dispatch iterates a snapshot
    bus.fire("x")
    assert seen == ["a", "b", "a"]


def test_listener_error_does_not_stop_others(
    bus: EventBus, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[int] = []

    def broken(event: Event) -> None:
        raise RuntimeError("boom")

    bus.listen("x", broken)
    bus.listen("x", lambda e: seen.append(1))
    bus.fire("x")
    assert seen == [1]
    assert "boom" in caplog.text


def test_listen_once(bus: EventBus) -> None:
    seen: list[int] = []
    bus.listen_once("x", lambda e: seen.append(e.data["n"]))
    bus.fire("x", {"n": 1})
    bus.fire("x", {"n": 2})
    assert seen == [1]
    assert not bus.has_listeners("x")


async def test_coroutine_listener_gets_events_in_order() -> None:
    tasks = TaskTracker()
    bus = EventBus(tasks)
    seen: list[int] = []
    done = asyncio.Event()

    async def listener(event: Event) -> None:
        await asyncio.sleep(0)
        seen.append(event.data["n"])
        if event.data["n"] == 99:
            done.set()

    bus.listen("x", listener)
    for n in range(100):
        bus.fire("x", {"n": n})
    await asyncio.wait_for(done.wait(), 5)
    assert seen == list(range(100))
    await tasks.cancel_all()


async def test_coroutine_listener_error_is_logged_and_next_event_delivered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tasks = TaskTracker()
    bus = EventBus(tasks)
    seen: list[int] = []

    async def listener(event: Event) -> None:
        if event.data["n"] == 0:
            raise ValueError("bad first")
        seen.append(event.data["n"])

    bus.listen("x", listener)
    bus.fire("x", {"n": 0})
    bus.fire("x", {"n": 1})
    for _ in range(5):
        await asyncio.sleep(0)
    assert seen == [1]
    assert "bad first" in caplog.text
    await tasks.cancel_all()


def test_match_all_listener_skips_the_types_it_names(bus: EventBus) -> None:
    everything: list[str] = []
    most: list[str] = []
    bus.listen("*", lambda event: everything.append(event.event_type))
    unsubscribe = bus.listen("*", lambda event: most.append(event.event_type), skip=("noisy",))
    for event_type in ("noisy", "quiet", "noisy"):
        bus.fire(event_type)
    assert everything == ["noisy", "quiet", "noisy"]
    assert most == ["quiet"]
    unsubscribe()
    bus.fire("quiet")
    assert most == ["quiet"]  # gone, and the cached listener lists were rebuilt


def test_a_type_only_skippers_want_has_no_listeners(bus: EventBus) -> None:
    bus.listen("*", lambda event: None, skip=("noisy",))
    assert not bus.has_listeners("noisy")
    assert bus.has_listeners("quiet")
    later: list[Event] = []
    bus.listen("noisy", later.append)  # a listener added later is seen at once
    assert bus.has_listeners("noisy")
    bus.fire("noisy")
    assert len(later) == 1
