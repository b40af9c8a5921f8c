"""Severity ordering and the ThingsBoard mapping."""

from __future__ import annotations

import pytest

from hub.alerts.severity import Severity, from_thingsboard, parse_severity, to_thingsboard


def test_ordering_by_urgency() -> None:
    assert Severity.INFO < Severity.WARNING < Severity.CRITICAL
    assert sorted([Severity.WARNING, Severity.CRITICAL, Severity.INFO]) == [
        Severity.INFO,
        Severity.WARNING,
        Severity.CRITICAL,
    ]
    assert max(Severity) is Severity.CRITICAL
    assert Severity.WARNING >= Severity.WARNING


@pytest.mark.parametrize(
    ("severity", "name"),
    [
        (Severity.CRITICAL, "CRITICAL"),
        (Severity.WARNING, "WARNING"),
        (Severity.INFO, "INDETERMINATE"),
    ],
)
def test_export_and_round_trip(severity: Severity, name: str) -> None:
    assert to_thingsboard(severity) == name
    assert from_thingsboard(to_thingsboard(severity)) is severity


@pytest.mark.parametrize(
    ("name", "severity"),
    [
        ("CRITICAL", Severity.CRITICAL),
        ("MAJOR", Severity.CRITICAL),
        ("minor", Severity.WARNING),
        ("WARNING", Severity.WARNING),
        ("INDETERMINATE", Severity.INFO),
    ],
)
def test_import_of_every_thingsboard_severity(name: str, severity: Severity) -> None:
    assert from_thingsboard(name) is severity


def test_unknown_names_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match="unknown ThingsBoard severity 'SEVERE'"):
        from_thingsboard("SEVERE")
    with pytest.raises(ValueError, match="expected one of critical, warning, info"):
        parse_severity("urgent")
    assert parse_severity(" Critical ") is Severity.CRITICAL
