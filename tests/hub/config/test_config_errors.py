"""Formatting of configuration issues."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config.errors import ConfigError, ConfigIssue, format_issue


@pytest.mark.parametrize(
    ("issue", "expected"),
    [
        (
            ConfigIssue(Path("/srv/config/tanks.yaml"), 14, ("tank_node", "tanks", 1), "bad"),
            "config/tanks.yaml:14: tank_node → tanks → 1: bad",
        ),
        (
            ConfigIssue(Path("/srv/config/a.yaml"), None, (), "file not found"),
            "config/a.yaml: file not found",
        ),
        (ConfigIssue(None, None, ("hub",), "bad"), "hub: bad"),
        (ConfigIssue(Path("/etc/other.yaml"), 3, (), "bad"), "/etc/other.yaml:3: bad"),
    ],
)
def test_format_issue(issue: ConfigIssue, expected: str) -> None:
    assert format_issue(issue, base=Path("/srv")) == expected


def test_config_error_message_lists_every_issue() -> None:
    error = ConfigError(
        [
            ConfigIssue(Path("/srv/config/a.yaml"), 1, ("hub",), "first"),
            ConfigIssue(Path("/srv/config/b.yaml"), 2, ("hub", "name"), "second"),
        ],
        base=Path("/srv"),
    )
    assert str(error) == "config/a.yaml:1: hub: first\nconfig/b.yaml:2: hub → name: second"
    assert len(error.issues) == 2
