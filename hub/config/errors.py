"""Configuration issues and the one formatter that turns them into `file:line: path: message`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PATH_SEPARATOR = " → "


@dataclass(frozen=True, slots=True)
class ConfigIssue:
    """One problem in the configuration, pointing at the file and line to fix.

    ``path`` names the container the problem is in, starting with the domain
    (``("tank_node", "tanks", 1)``); list indexes count from 0.
    """

    file: Path | None
    line: int | None
    path: tuple[str | int, ...]
    message: str


class ConfigError(Exception):
    """The configuration is invalid; ``issues`` holds every problem found."""

    def __init__(self, issues: Iterable[ConfigIssue], *, base: Path | None = None) -> None:
        self.issues: list[ConfigIssue] = list(issues)
        self.base = base
        super().__init__("\n".join(self.format()))

    def format(self) -> list[str]:
        """Return one formatted line per issue."""
        return [format_issue(issue, base=self.base) for issue in self.issues]


def display_path(path: Path, base: Path | None) -> str:
    """Show ``path`` relative to ``base`` when it lies below it, else as given."""
    if base is not None:
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def format_issue(issue: ConfigIssue, *, base: Path | None = None) -> str:
    """Render an issue as ``file:line: domain → key → index: message``.

    ``base`` is usually the parent of the config directory, so files read as
    ``config/tanks.yaml``. Parts that are unknown are left out.
    """
    where = ""
    if issue.file is not None:
        where = display_path(issue.file, base)
        if issue.line is not None:
            where += f":{issue.line}"
    parts = [where] if where else []
    if issue.path:
        parts.append(PATH_SEPARATOR.join(str(part) for part in issue.path))
    parts.append(issue.message)
    return ": ".join(parts)
