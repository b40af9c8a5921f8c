"""Topic routing: exact and wildcard filters, ``$`` topics, removal."""

from __future__ import annotations

import pytest

from integrations.mqtt.models import ReceivedMessage
from integrations.mqtt.router import TopicRouter, topic_matches


@pytest.mark.parametrize(
    ("topic_filter", "topic", "expected"),
    [
        ("a/b", "a/b", True),
        ("a/+", "a/b", True),
        ("a/+", "a/b/c", False),
        ("a/#", "a", True),
        ("a/#", "a/b/c", True),
        ("+/+/c", "x/y/c", True),
        ("#", "$SYS/broker", False),
        ("+/broker", "$SYS/broker", False),
        ("$SYS/#", "$SYS/broker", True),
        ("a/+/c", "a//c", True),
    ],
)
def test_topic_matches(topic_filter: str, topic: str, expected: bool) -> None:
    assert topic_matches(topic_filter, topic) is expected


def test_router_resolves_exact_and_wildcards_and_forgets_removed() -> None:
    router = TopicRouter()
    seen: list[str] = []

    def handler(name: str):  # type: ignore[no-untyped-def]
        return lambda message: seen.append(name)

    remove_exact = router.add("plant/tank/level", handler("exact"))
    remove_plus = router.add("plant/+/level", handler("plus"))
    router.add("plant/#", handler("hash"))
    router.add("other/#", handler("other"))
    message = ReceivedMessage("plant/tank/level", b"1", 0, False, 0.0)
    for found in router.handlers_for("plant/tank/level"):
        found(message)
    assert sorted(seen) == ["exact", "hash", "plus"]

    remove_exact()
    remove_plus()
    assert len(router.handlers_for("plant/tank/level")) == 1
    assert router.handlers_for("nothing/here") == ()


def test_router_scales_without_scanning() -> None:
    router = TopicRouter()
    for i in range(20_000):
        router.add(f"dev/{i}/state", lambda m: None)
    router.add("dev/+/state", lambda m: None)
    assert len(router.handlers_for("dev/123/state")) == 2
    assert len(router.handlers_for("dev/x/state")) == 1
