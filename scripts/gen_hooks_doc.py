"""Regenerate docs/integration-authors/hooks.md from hub/plugins/hookspecs.py."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from hub.plugins import hookspecs

HEADER = """# Hook reference

Every hook an integration may implement, generated from `hub/plugins/hookspecs.py` (the
contract). Regenerate with `python scripts/gen_hooks_doc.py`; a test fails when a hook is
missing here or has no `test_hook_<name>` test.

"""


def hook_signature(name: str) -> str:
    """``name(params) -> return`` as written in the spec."""
    func = getattr(hookspecs, name)
    return f"{name}{inspect.signature(func)}".replace("'", "")


def render() -> str:
    parts = [HEADER, inspect.getdoc(hookspecs) or "", "\n"]
    for name in hook_names():
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        parts.append(f"\n## `{hook_signature(name)}`\n\n{doc}\n")
    return "".join(parts)


def hook_names() -> list[str]:
    """Hook names in declaration order."""
    source = inspect.getsource(hookspecs)
    names = [n for n in dir(hookspecs) if n.startswith("fieldhub_")]
    return sorted(names, key=lambda n: source.index(f"def {n}("))


def main() -> int:
    target = Path(__file__).resolve().parent.parent / "docs/integration-authors/hooks.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
