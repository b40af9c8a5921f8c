"""The hook reference stays complete: every hook documented with its signature and tested."""

from __future__ import annotations

import re
from pathlib import Path

from hub.plugins import hookspecs

ROOT = Path(__file__).resolve().parents[3]
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("fieldhub_"))


def _signature(name: str) -> str:
    import inspect

    return f"{name}{inspect.signature(getattr(hookspecs, name))}".replace("'", "")


def test_every_hook_has_a_heading_with_its_signature() -> None:
    text = (ROOT / "docs/integration-authors/hooks.md").read_text(encoding="utf-8")
    missing = [name for name in HOOKS if f"## `{_signature(name)}`" not in text]
    assert missing == [], "run: python scripts/gen_hooks_doc.py"


def test_every_hook_has_a_test() -> None:
    defined = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        defined.update(re.findall(r"def (test_hook_fieldhub_\w+)\(", path.read_text("utf-8")))
    missing = [name for name in HOOKS if f"test_hook_{name}" not in defined]
    assert missing == []


def test_every_hook_has_a_docstring_naming_its_caller() -> None:
    for name in HOOKS:
        doc = getattr(hookspecs, name).__doc__ or ""
        assert ":consumer:" in doc and "versionadded" in doc, name
