"""The hub: section schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
import voluptuous as vol

from hub.config.core_schema import CORE_SECTIONS, HUB_SCHEMA, CoreSettings, UnitSystem


def test_defaults() -> None:
    assert HUB_SCHEMA({}) == CoreSettings(
        name="Fieldhub",
        site_id="default",
        time_zone="UTC",
        unit_system=UnitSystem.METRIC,
        setup_warning_after=timedelta(seconds=10),
        allowed_plugins=None,
    )


def test_allowed_plugins_list() -> None:
    settings = HUB_SCHEMA({"allowed_plugins": ["tank_node", "mqtt"]})
    assert settings.allowed_plugins == ("tank_node", "mqtt")


def test_negative_setup_warning_is_refused() -> None:
    with pytest.raises(vol.MultipleInvalid, match="expected a time period of zero or more"):
        HUB_SCHEMA({"setup_warning_after": "-00:00:05"})


def test_core_sections() -> None:
    assert CORE_SECTIONS == (
        "hub",
        "recorder",
        "window",
        "http",
        "automation",
        "alert",
        "discovery",
        "logger",
    )
