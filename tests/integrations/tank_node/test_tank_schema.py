"""The tank_node YAML section: defaults, and impossible tanks reported on the line to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config.errors import ConfigError, format_issue
from hub.config.validation import validate_section
from hub.config.yaml_loader import load_yaml_text
from integrations.tank_node.schema import CONFIG_SCHEMA

YAML = """\
tank_node:
  tanks:
    - mac: A4-CF-12-0B-9E-01
      shape: vertical_cylinder
      diameter_mm: 1000
      height_mm: 1500
      sensor_offset_mm: {offset}
      report_interval: "00:05:00"
"""


def validate(tmp_path: Path, text: str) -> object:
    path = tmp_path / "configuration.yaml"
    data = load_yaml_text(text, path)
    return validate_section("tank_node", CONFIG_SCHEMA, data["tank_node"])


def test_defaults_and_normalisation(tmp_path: Path) -> None:
    section = validate(tmp_path, YAML.format(offset=0))
    assert section == {
        "tanks": [
            {
                "mac": "a4:cf:12:0b:9e:01",
                "shape": "vertical_cylinder",
                "diameter_mm": 1000,
                "height_mm": 1500,
                "sensor_offset_mm": 0,
                "blind_zone_mm": 0,
                "report_interval": 300,
                "deep_sleep": False,
            }
        ],
        "simulate": [],
    }


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (YAML.format(offset=1600), 7, "offset_not_below_top"),
        (YAML.format(offset=0).replace("      height_mm: 1500\n", ""), 3, "required for shape"),
        (YAML.format(offset=0) + "      blind_zone_mm: 1500\n", 9, "blind_zone_too_large"),
        (YAML.format(offset=0).replace('"00:05:00"', "2"), 8, "report interval"),
    ],
)
def test_impossible_tanks_point_at_the_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    with pytest.raises(ConfigError) as info:
        validate(tmp_path, text)
    [issue] = [format_issue(i, base=tmp_path) for i in info.value.issues]
    assert issue.startswith(f"configuration.yaml:{line}:"), issue
    assert words in issue
