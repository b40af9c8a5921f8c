"""Loading the device simulators that live in a source checkout's ``firmware/sim/``.

The simulators are development and demo tools, not part of the installed distribution, so
integrations load them by path from the repository the hub runs from.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SIMULATOR_DIR = Path(__file__).resolve().parents[2] / "firmware" / "sim"


def simulator_path(name: str) -> Path:
    """Where ``firmware/sim/<name>.py`` would be in this checkout."""
    return SIMULATOR_DIR / f"{name}.py"


def load_simulator_module(name: str, path: Path | None = None) -> ModuleType | None:
    """Import ``firmware/sim/<name>.py`` once; None when this is not a source checkout.

    Blocking (reads and compiles a file): call it from an executor on a running hub.
    """
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    source = path or simulator_path(name)
    if not source.is_file():
        return None
    spec = importlib.util.spec_from_file_location(name, source)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module
