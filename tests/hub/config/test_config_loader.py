"""Loading configuration.yaml: sections, unknown domains, and collecting every issue."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
import voluptuous as vol

from hub.config import cv
from hub.config.core_schema import CoreSettings, UnitSystem
from hub.config.errors import ConfigError, ConfigIssue, format_issue
from hub.config.loader import check_config, load_configuration

SCHEMAS: dict[str, vol.Schema | None] = {
    "tank_node": vol.Schema(
        {vol.Required("tanks"): [{vol.Required("name"): cv.string, "height_cm": cv.number}]}
    ),
    "recorder": vol.Schema(
        vol.All(
            cv.empty_mapping,
            {vol.Optional("purge_keep_days", default=10): cv.positive_int},
        )
    ),
    "automation": None,
}


def write(config_dir: Path, name: str, text: str) -> Path:
    path = config_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "config"
    directory.mkdir()
    return directory


def load_errors(config_dir: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_configuration(config_dir, SCHEMAS, env={})
    return info.value.format()


def test_loads_and_validates_every_section(config_dir: Path) -> None:
    write(config_dir, "secrets.yaml", "site: north_site\n")
    write(config_dir, "automations.yaml", "- alias: Low level\n  trigger: []\n")
    path = write(
        config_dir,
        "configuration.yaml",
        """
        hub:
          name: North
          site_id: !secret site
          time_zone: Europe/Berlin
          unit_system: imperial
          setup_warning_after: 30
          allowed_plugins: tank_node
        tank_node:
          tanks:
            - name: north
              height_cm: "200"
        recorder:
        automation: !include automations.yaml
        """,
    )
    config = load_configuration(config_dir, SCHEMAS, env={})
    assert config.core == CoreSettings(
        name="North",
        site_id="north_site",
        time_zone="Europe/Berlin",
        unit_system=UnitSystem.IMPERIAL,
        setup_warning_after=timedelta(seconds=30),
        allowed_plugins=("tank_node",),
    )
    assert config.sections == {
        "tank_node": {"tanks": [{"name": "north", "height_cm": 200.0}]},
        "recorder": {"purge_keep_days": 10},
        "automation": [{"alias": "Low level", "trigger": []}],
    }
    assert config.config_dir == config_dir
    assert config.raw["automation"][0].__config_file__ == config_dir / "automations.yaml"
    assert config.files == (
        path,
        config_dir / "secrets.yaml",
        config_dir / "automations.yaml",
    )


def test_hub_defaults_when_the_section_is_absent(config_dir: Path) -> None:
    write(config_dir, "configuration.yaml", "recorder: {}\n")
    config = load_configuration(config_dir, SCHEMAS, env={})
    assert config.core == CoreSettings(
        name="Fieldhub",
        site_id="default",
        time_zone="UTC",
        unit_system=UnitSystem.METRIC,
        setup_warning_after=timedelta(seconds=10),
        allowed_plugins=None,
    )
    assert config.sections == {"recorder": {"purge_keep_days": 10}}


def test_empty_configuration_is_valid(config_dir: Path) -> None:
    write(config_dir, "configuration.yaml", "# nothing configured yet\n")
    config = load_configuration(config_dir, SCHEMAS, env={})
    assert config.sections == {}
    assert config.core.name == "Fieldhub"


def test_unknown_domain_with_suggestion(config_dir: Path) -> None:
    write(config_dir, "configuration.yaml", "hub:\n  name: North\ntank_nod:\n  tanks: []\n")
    assert load_errors(config_dir) == [
        "config/configuration.yaml:3: unknown domain 'tank_nod' (did you mean 'tank_node'?)"
    ]


def test_unknown_domain_without_suggestion(config_dir: Path) -> None:
    write(config_dir, "configuration.yaml", "weather:\n  city: Oslo\n")
    assert load_errors(config_dir) == [
        "config/configuration.yaml:1: unknown domain 'weather'; "
        "is the integration that provides it installed?"
    ]


def test_every_issue_across_domains_is_collected(config_dir: Path) -> None:
    write(config_dir, "tanks.yaml", "- name: north\n  height_cm: tall\n")
    write(
        config_dir,
        "configuration.yaml",
        """
        hub:
          site_id: North Site
          unit_system: metrc
        tank_nod: {}
        tank_node:
          tanks: !include tanks.yaml
        recorder:
          purge_keep_days: -1
        """,
    )
    assert load_errors(config_dir) == [
        "config/configuration.yaml:2: hub → site_id: expected a slug (lowercase letters, "
        "digits and underscores), got 'North Site'; try 'north_site'",
        "config/configuration.yaml:3: hub → unit_system: expected one of metric, imperial, "
        "got 'metrc' (did you mean 'metric'?)",
        "config/configuration.yaml:4: unknown domain 'tank_nod' (did you mean 'tank_node'?)",
        "config/tanks.yaml:2: tank_node → tanks → 0 → height_cm: expected a number, got 'tall'",
        "config/configuration.yaml:8: recorder → purge_keep_days: "
        "expected a whole number of at least 0, got -1",
    ]


def test_hub_section_unknown_key(config_dir: Path) -> None:
    write(config_dir, "configuration.yaml", "hub:\n  name: North\n  time_zon: UTC\n")
    assert load_errors(config_dir) == [
        "config/configuration.yaml:3: hub: unknown key 'time_zon' (did you mean 'time_zone'?)"
    ]


def test_yaml_errors_stop_loading(config_dir: Path) -> None:
    write(config_dir, "configuration.yaml", "hub:\n  name: North\n  name: South\n")
    assert load_errors(config_dir) == [
        "config/configuration.yaml:3: duplicate key 'name' (first defined on line 2); "
        "remove one of them"
    ]


def test_missing_configuration_file(config_dir: Path) -> None:
    assert load_errors(config_dir) == [
        "config/configuration.yaml: file not found; create configuration.yaml in config"
    ]


def test_top_level_must_be_a_mapping(config_dir: Path) -> None:
    write(config_dir, "configuration.yaml", "- hub\n- recorder\n")
    assert load_errors(config_dir) == [
        "config/configuration.yaml:1: expected a mapping of domains such as 'hub:' "
        "at the top of the file"
    ]


def test_hub_schema_is_not_replaceable(config_dir: Path) -> None:
    write(config_dir, "configuration.yaml", "hub: {}\n")
    with pytest.raises(ValueError, match="'hub' is validated by the loader"):
        load_configuration(config_dir, {"hub": None})


def test_check_config_lists_issues(config_dir: Path) -> None:
    write(config_dir, "configuration.yaml", "tank_node:\n  tanks: 5\n")
    issues = check_config(config_dir, SCHEMAS, env={})
    assert issues == [
        ConfigIssue(
            config_dir / "configuration.yaml",
            2,
            ("tank_node", "tanks"),
            "expected a list, got 5",
        )
    ]
    assert [format_issue(issue, base=config_dir.parent) for issue in issues] == [
        "config/configuration.yaml:2: tank_node → tanks: expected a list, got 5"
    ]


def test_check_config_of_a_valid_configuration(config_dir: Path) -> None:
    write(config_dir, "configuration.yaml", "tank_node:\n  tanks: []\n")
    assert check_config(config_dir, SCHEMAS, env={}) == []


def test_env_var_in_configuration(config_dir: Path) -> None:
    write(config_dir, "configuration.yaml", "hub:\n  name: !env_var HUB_NAME Fieldhub North\n")
    assert load_configuration(config_dir, SCHEMAS, env={}).core.name == "Fieldhub North"
    named = load_configuration(config_dir, SCHEMAS, env={"HUB_NAME": "Depot"})
    assert named.core.name == "Depot"
