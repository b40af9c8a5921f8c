"""Writing one automation back to its YAML file, then reloading.

The automation is validated with the same schema as at start-up. It is written to the file
it came from (a new one to the file the ``automation:`` section includes) with the
config package's dumper, so ``!secret`` values stay tags. Automations written inline in
``configuration.yaml`` are not rewritten: move them to ``automations.yaml`` first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hub.automation.config_schema import AutomationConfig, section_schema
from hub.automation.const import DOMAIN
from hub.config.errors import ConfigError
from hub.config.loader import CONFIG_FILE
from hub.config.nodes import Location, NodeDict, NodeList
from hub.config.validation import validate_section
from hub.config.yaml_dumper import dump_yaml
from hub.config.yaml_loader import YamlReader
from hub.core.errors import HubError, ServiceValidationError

if TYPE_CHECKING:
    from hub.automation.engine import AutomationEngine

_TAGGED = re.compile(r"^(!secret|!env_var) (\S+)$")


class ConfigWriteError(HubError):
    """The automation could not be saved; ``messages`` are ``file:line``-style lines."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def to_editable(value: Any) -> Any:
    """The automation as JSON, values read from ``!secret``/``!env_var`` shown as the tag."""
    if isinstance(value, NodeDict):
        result = {}
        for key, item in value.items():
            at = value.value_location(key)
            if at is not None and at.source is not None:
                result[str(key)] = f"{at.source[0]} {at.source[1]}"
            else:
                result[str(key)] = to_editable(item)
        return result
    if isinstance(value, Mapping):
        return {str(key): to_editable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_editable(item) for item in value]
    return str(value) if isinstance(value, str) else value


def from_editable(value: Any) -> Any:
    """JSON back to nodes; ``"!secret name"`` strings become tags again when dumped."""
    if isinstance(value, Mapping):
        node = NodeDict()
        for key, item in value.items():
            match = _TAGGED.match(item) if isinstance(item, str) else None
            source = (match.group(1), match.group(2)) if match else None
            node.set_item(key, from_editable(item), Location(None, 0), Location(None, 0, source))
        return node
    if isinstance(value, list):
        items = NodeList()
        for item in value:
            items.append_item(from_editable(item), Location(None, 0))
        return items
    return value


def validate_one(engine: AutomationEngine, data: Any) -> AutomationConfig:
    """Validate one automation; raise :class:`ConfigWriteError` with readable messages."""
    if not isinstance(data, Mapping):
        raise ConfigWriteError(["automation: expected a mapping (a JSON object)"])
    try:
        configs = validate_section(DOMAIN, section_schema(engine.platforms), [dict(data)])
    except ConfigError as err:
        raise ConfigWriteError(err.format()) from None
    config: AutomationConfig = configs[0]
    return config


def target_file(engine: AutomationEngine, key: str) -> Path:
    """The file holding automation ``key`` (or where a new one is appended). Blocking."""
    existing = engine.get(key)
    if existing is not None and isinstance(existing.config.raw, NodeDict):
        path = existing.config.raw.__config_file__
    else:
        raw = YamlReader(engine.hub.config_dir).load(engine.hub.config_dir / CONFIG_FILE)
        section = raw.get(DOMAIN) if isinstance(raw, NodeDict) else None
        path = section.__config_file__ if isinstance(section, NodeList | NodeDict) else None
    if path is None or path.name == CONFIG_FILE:
        raise ConfigWriteError(
            [
                f"{CONFIG_FILE}: automations are written inline or not at all; put "
                "'automation: !include automations.yaml' there to edit them through the API"
            ]
        )
    return path


def write_automation(engine: AutomationEngine, key: str, data: Mapping[str, Any]) -> str:
    """Replace (or append) automation ``key`` in its file; return the old text. Blocking."""
    path = target_file(engine, key)
    old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    content = YamlReader(engine.hub.config_dir).load(path) if old_text.strip() else NodeList()
    node = from_editable({**data, "id": key})
    if isinstance(content, NodeList):
        for index, item in enumerate(content):
            if isinstance(item, Mapping) and str(item.get("id")) == key:
                content[index] = node
                break
        else:
            content.append(node)
    elif isinstance(content, NodeDict) and str(content.get("id")) == key:
        content = node
    else:
        raise ConfigWriteError([f"{path}: expected a list of automations"])
    path.write_text(dump_yaml(content), encoding="utf-8")
    return old_text


async def save_automation(
    engine: AutomationEngine, key: str, data: Mapping[str, Any]
) -> AutomationConfig:
    """Validate, write back and reload; on a failed reload the old file is restored."""
    if "id" in data and str(data["id"]) != key:
        raise ConfigWriteError([f"automation: 'id' is '{data['id']}' but the URL names '{key}'"])
    config = validate_one(engine, {**data, "id": key})
    hub = engine.hub
    old_text = await hub.run_in_executor(write_automation, engine, key, data)
    try:
        await engine.reload()
    except ServiceValidationError as err:
        path = await hub.run_in_executor(target_file, engine, key)
        await hub.run_in_executor(_restore, path, old_text)
        await engine.reload()
        raise ConfigWriteError(str(err).splitlines()) from None
    return config


def _restore(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
