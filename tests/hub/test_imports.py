"""Import boundaries: the core never imports integrations; integrations use hub.api only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_hub_never_imports_integrations() -> None:
    code = (
        "import sys, hub, hub.api, hub.cli, hub.core.bootstrap; "
        "bad = sorted(m for m in sys.modules if m == 'integrations' or "
        "m.startswith('integrations.')); print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _hub_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.extend(n for n in names if n == "hub" or n.startswith("hub."))
    return found


def test_integrations_import_only_the_public_api() -> None:
    offenders = []
    for path in sorted((ROOT / "integrations").rglob("*.py")):
        for module in _hub_imports(path):
            if module != "hub.api":
                offenders.append(f"{path.relative_to(ROOT)}: {module}")
    assert offenders == []


def test_api_exports_exist() -> None:
    import hub.api

    missing = [name for name in hub.api.__all__ if not hasattr(hub.api, name)]
    assert missing == []
