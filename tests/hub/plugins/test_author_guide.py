"""The author's guide shows the example plugin exactly as it is in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs/integration-authors/example-plugin"
FILES = [
    "pyproject.toml",
    "fieldhub_example_sine/manifest.json",
    "fieldhub_example_sine/schema.py",
    "fieldhub_example_sine/sensor.py",
    "fieldhub_example_sine/__init__.py",
    "tests/test_example_sine.py",
]


@pytest.mark.parametrize("name", FILES)
def test_guide_includes_file_verbatim(name: str) -> None:
    guide = (ROOT / "docs/integration-authors/guide.md").read_text(encoding="utf-8")
    assert (EXAMPLE / name).read_text(encoding="utf-8") in guide


def test_example_plugin_is_installed_through_its_entry_point() -> None:
    from importlib.metadata import entry_points

    names = {ep.name: ep.value for ep in entry_points(group="fieldhub.integrations")}
    assert names.get("example_sine") == "fieldhub_example_sine"
