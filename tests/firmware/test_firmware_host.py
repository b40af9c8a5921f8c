"""Runs the tank node's C++ host tests (tankcore with doctest) and the ESP8266 size check."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "firmware" / "tank_node" / "test" / "run_host_tests.sh"


def _missing_tools() -> str | None:
    for tool in ("g++", "cmake"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (see firmware/tank_node/test/apt-packages.txt)"
    if not Path("/usr/include/doctest/doctest.h").exists():
        return "doctest-dev is not installed (see firmware/tank_node/test/apt-packages.txt)"
    return None


@pytest.mark.skipif(_missing_tools() is not None, reason=_missing_tools() or "")
def test_tankcore_host_tests_pass(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(SCRIPT), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    summary = re.search(r"test cases:\s*(\d+) \|\s*(\d+) passed \|\s*(\d+) failed", output)
    assert summary is not None, output
    total, passed, failed = (int(group) for group in summary.groups())
    assert total > 0
    assert passed == total
    assert failed == 0
    assert re.search(r"code \d+ bytes", output) or "SKIPPED" in output, output
