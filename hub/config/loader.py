"""Loading ``configuration.yaml`` and validating every section, collecting all issues."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from hub.config.core_schema import HUB_DOMAIN, HUB_SCHEMA, CoreSettings
from hub.config.errors import ConfigError, ConfigIssue, display_path
from hub.config.nodes import Location, NodeDict, location_of
from hub.config.validation import validate_section
from hub.config.yaml_loader import YamlReader

CONFIG_FILE: Final = "configuration.yaml"

SectionSchema = Callable[[Any], Any]
"""A section's validator, usually a ``voluptuous.Schema``."""


@dataclass(frozen=True, slots=True)
class HubConfig:
    """A loaded, valid configuration."""

    config_dir: Path
    raw: NodeDict
    """The whole annotated ``configuration.yaml``, includes resolved."""
    core: CoreSettings
    """The validated ``hub:`` section (defaults when it is absent)."""
    sections: dict[str, Any]
    """Validated value per other domain; sections without a schema are kept as read."""
    files: tuple[Path, ...]
    """Every YAML file read (configuration, includes, secrets), for reloading."""
    directories: tuple[Path, ...]
    """Every directory read by an ``!include_dir_*`` tag."""


def load_configuration(
    config_dir: Path,
    domain_schemas: Mapping[str, SectionSchema | None],
    *,
    env: Mapping[str, str] | None = None,
) -> HubConfig:
    """Read ``configuration.yaml`` in ``config_dir`` and validate every section.

    ``domain_schemas`` maps each known top-level key (the core sections and the loaded
    integrations) to its schema, or to ``None`` to keep the section as read. The ``hub:``
    section is validated here and must not be listed. ``env`` replaces ``os.environ``
    for ``!env_var``. Reads files: call it from an executor. Raises one
    :class:`ConfigError` holding every issue found.
    """
    if HUB_DOMAIN in domain_schemas:
        raise ValueError(f"'{HUB_DOMAIN}' is validated by the loader; leave it out of the schemas")
    base = config_dir.parent
    path = config_dir / CONFIG_FILE
    if not path.is_file():
        shown = display_path(config_dir, base)
        message = f"file not found; create {CONFIG_FILE} in {shown}"
        raise ConfigError([ConfigIssue(path, None, (), message)], base=base)
    reader = YamlReader(config_dir, env=env)
    raw = reader.load(path)
    if raw is None:
        raw = NodeDict(file=path, line=1)
    if not isinstance(raw, NodeDict):
        at = location_of(raw) or Location(path, 1)
        message = "expected a mapping of domains such as 'hub:' at the top of the file"
        raise ConfigError([ConfigIssue(at.file, at.line, (), message)], base=base)
    sections, issues = _validate_sections(raw, {HUB_DOMAIN: HUB_SCHEMA, **domain_schemas})
    if issues:
        raise ConfigError(issues, base=base)
    core = sections.pop(HUB_DOMAIN) if HUB_DOMAIN in raw else HUB_SCHEMA(None)
    return HubConfig(config_dir, raw, core, sections, reader.files, reader.directories)


def check_config(
    config_dir: Path,
    domain_schemas: Mapping[str, SectionSchema | None],
    *,
    env: Mapping[str, str] | None = None,
) -> list[ConfigIssue]:
    """Every issue in the configuration, or an empty list when it is valid.

    Format them with ``format_issue(issue, base=config_dir.parent)``.
    """
    try:
        load_configuration(config_dir, domain_schemas, env=env)
    except ConfigError as err:
        return err.issues
    return []


def _validate_sections(
    raw: NodeDict, schemas: Mapping[str, SectionSchema | None]
) -> tuple[dict[str, Any], list[ConfigIssue]]:
    sections: dict[str, Any] = {}
    issues: list[ConfigIssue] = []
    for key, value in raw.items():
        domain = str(key)
        if domain not in schemas:
            issues.append(_unknown_domain(raw, key, schemas))
            continue
        schema = schemas[domain]
        if schema is None:
            sections[domain] = value
            continue
        try:
            sections[domain] = validate_section(
                domain, schema, value, location=raw.value_location(key)
            )
        except ConfigError as err:
            issues.extend(err.issues)
    return sections, issues


def _unknown_domain(
    raw: NodeDict, key: Any, schemas: Mapping[str, SectionSchema | None]
) -> ConfigIssue:
    at = raw.key_location(key)
    message = f"unknown domain '{key}'"
    close = difflib.get_close_matches(str(key), list(schemas), n=1)
    if close:
        message += f" (did you mean '{close[0]}'?)"
    else:
        message += "; is the integration that provides it installed?"
    return ConfigIssue(at.file if at else None, at.line if at else None, (), message)
