"""The YAML loader: annotated nodes, includes, secrets and environment variables.

Every mapping, sequence and string comes back as a node that knows its file and line
(see :mod:`hub.config.nodes`). Problems are raised as :class:`ConfigError` pointing at
the line to fix. Loading reads files: call it from an executor, not the event loop.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any

import yaml

from hub.config.errors import ConfigError, ConfigIssue, display_path
from hub.config.nodes import Location, NodeDict, NodeList, NodeStr, location_of
from hub.config.yaml_syntax import explain_yaml_error

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

SECRETS_FILE = "secrets.yaml"
SOURCE_TAGS = ("!secret", "!env_var")
TAGS = (
    "!include",
    "!include_dir_list",
    "!include_dir_merge_list",
    "!include_dir_named",
    "!include_dir_merge_named",
    "!secret",
    "!env_var",
)
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
# YAML 1.1 integers and floats without the base-60 forms, so `10:30` stays the text "10:30".
_INT_RE = re.compile(
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"
)
_FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?"
    r"|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN))$"
)


class YamlReader:
    """Reads the YAML files of one config directory and remembers every file it read."""

    def __init__(self, config_dir: Path, *, env: Mapping[str, str] | None = None) -> None:
        self.config_dir = config_dir
        self.base = config_dir.parent
        self._env: Mapping[str, str] = os.environ if env is None else env
        self._files: list[Path] = []
        self._directories: list[Path] = []
        self._stack: list[tuple[Path, Path]] = []
        self._secrets: dict[Path, NodeDict | None] = {}

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file read so far (configuration, includes, secrets), in reading order."""
        return tuple(self._files)

    @property
    def directories(self) -> tuple[Path, ...]:
        """Every directory read by an ``!include_dir_*`` tag."""
        return tuple(self._directories)

    def load(self, path: Path) -> Any:
        """Load one YAML file; an empty file gives ``None``."""
        return self._load(path, origin=None, secrets_file=False)

    def load_text(self, text: str, path: Path) -> Any:
        """Load YAML ``text`` as if it had been read from ``path``."""
        return self._parse(text, path, secrets_file=False)

    def error(self, at: Location, message: str) -> ConfigError:
        """A :class:`ConfigError` with one issue at ``at``."""
        return ConfigError([ConfigIssue(at.file, at.line, (), message)], base=self.base)

    def include(self, target: Path, origin: Location) -> Any:
        """Load ``target`` for a tag written at ``origin``, refusing include cycles."""
        resolved = target.resolve()
        for index, (seen, _) in enumerate(self._stack):
            if seen == resolved:
                chain = [shown for _, shown in self._stack[index:]] + [target]
                names = " → ".join(display_path(path, self.base) for path in chain)
                raise self.error(origin, f"include cycle: {names}")
        return self._load(target, origin=origin, secrets_file=False)

    def note_directory(self, directory: Path) -> None:
        """Remember a directory read by an ``!include_dir_*`` tag."""
        if directory not in self._directories:
            self._directories.append(directory)

    def env(self, name: str) -> str | None:
        """The value of environment variable ``name``, if set."""
        return self._env.get(name)

    def secret(self, name: str, current: Path, origin: Location) -> Any:
        """Look ``name`` up in ``secrets.yaml`` next to ``current``, then up to the config dir."""
        searched: list[Path] = []
        for directory in self._secret_dirs(current.parent):
            file = directory / SECRETS_FILE
            secrets = self._load_secrets(file)
            if secrets is None:
                continue
            searched.append(file)
            if name in secrets:
                return secrets[name]
        if searched:
            where = ", ".join(display_path(file, self.base) for file in searched)
            raise self.error(origin, f"secret '{name}' is not defined in {where}")
        shown = display_path(self.config_dir, self.base)
        raise self.error(
            origin, f"secret '{name}' not found: there is no {SECRETS_FILE} in {shown}"
        )

    def _secret_dirs(self, start: Path) -> list[Path]:
        dirs = [start]
        while start != self.config_dir and self.config_dir in start.parents:
            start = start.parent
            dirs.append(start)
        if self.config_dir not in dirs:
            dirs.append(self.config_dir)
        return dirs

    def _load_secrets(self, file: Path) -> NodeDict | None:
        if file not in self._secrets:
            secrets: NodeDict | None = None
            if file.is_file():
                loaded = self._load(file, origin=None, secrets_file=True)
                if loaded is None:
                    loaded = NodeDict(file=file, line=1)
                if not isinstance(loaded, NodeDict):
                    at = location_of(loaded) or Location(file, 1)
                    raise self.error(at, f"{SECRETS_FILE} must be a mapping of names to values")
                secrets = loaded
            self._secrets[file] = secrets
        return self._secrets[file]

    def _load(self, path: Path, *, origin: Location | None, secrets_file: bool) -> Any:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise self._file_error(origin, path, "file not found") from None
        except UnicodeDecodeError:
            raise self._file_error(origin, path, "not UTF-8 text; save it as UTF-8") from None
        except OSError as err:
            raise self._file_error(origin, path, f"cannot read: {err.strerror}") from None
        if path not in self._files:
            self._files.append(path)
        return self._parse(text, path, secrets_file=secrets_file)

    def _file_error(self, origin: Location | None, path: Path, reason: str) -> ConfigError:
        if origin is None:
            return ConfigError([ConfigIssue(path, None, (), reason)], base=self.base)
        return self.error(origin, f"cannot read {display_path(path, self.base)}: {reason}")

    def _parse(self, text: str, path: Path, *, secrets_file: bool) -> Any:
        self._stack.append((path.resolve(), path))
        loader = _Loader(text, self, path, secrets_file=secrets_file)
        try:
            return loader.get_single_data()
        except yaml.MarkedYAMLError as err:
            line, message = explain_yaml_error(err, text)
            raise ConfigError([ConfigIssue(path, line, (), message)], base=self.base) from None
        except yaml.YAMLError as err:
            issue = ConfigIssue(path, None, (), f"invalid YAML: {err}")
            raise ConfigError([issue], base=self.base) from None
        finally:
            loader.dispose()
            self._stack.pop()


class _Loader(_SafeLoader):
    def __init__(self, text: str, reader: YamlReader, path: Path, *, secrets_file: bool) -> None:
        super().__init__(text)
        self.reader = reader
        self.path = path
        self.secrets_file = secrets_file

    def location(self, node: yaml.Node) -> Location:
        source = None
        if node.tag in SOURCE_TAGS and isinstance(node, yaml.ScalarNode):
            source = (str(node.tag), str(node.value).strip())
        return Location(self.path, node.start_mark.line + 1, source)

    def error(self, node: yaml.Node, message: str) -> ConfigError:
        return self.reader.error(Location(self.path, node.start_mark.line + 1), message)

    def argument(self, node: yaml.Node, example: str) -> str:
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip():
            raise self.error(node, f"{node.tag} needs an argument, e.g. {node.tag} {example}")
        return value.strip()

    def target(self, name: str) -> Path:
        return Path(os.path.normpath(self.path.parent / name))

    def directory_files(self, node: yaml.Node) -> list[Path]:
        name = self.argument(node, "packages")
        directory = self.target(name)
        if not directory.is_dir():
            raise self.error(node, f"cannot include directory '{name}': not found")
        self.reader.note_directory(directory)
        return _yaml_files(directory)


def _yaml_files(directory: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        found.extend(
            Path(root) / name
            for name in files
            if name.endswith(".yaml") and not name.startswith(".") and name != SECRETS_FILE
        )
    return sorted(found)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> NodeStr:
    return NodeStr(str(loader.construct_scalar(node)), loader.path, _line(node))


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> NodeList:
    items = NodeList(file=loader.path, line=_line(node))
    for child in node.value:
        items.append_item(loader.construct_object(child, deep=True), loader.location(child))
    return items


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> NodeDict:
    own = {id(key_node) for key_node, _ in node.value}
    loader.flatten_mapping(node)
    mapping = NodeDict(file=loader.path, line=_line(node))
    written: set[Any] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise loader.error(key_node, "a key cannot be a list or a mapping")
        if isinstance(key, NodeStr):
            key = str(key)
        if id(key_node) in own:
            if key in written:
                first = mapping.key_location(key)
                where = f" (first defined on line {first.line})" if first else ""
                raise loader.error(key_node, f"duplicate key {key!r}{where}; remove one of them")
            written.add(key)
        value = loader.construct_object(value_node, deep=True)
        mapping.set_item(key, value, loader.location(key_node), loader.location(value_node))
    return mapping


def _construct_include(loader: _Loader, node: yaml.Node) -> Any:
    name = loader.argument(node, "sensors.yaml")
    target = loader.target(name)
    if not target.is_file():
        raise loader.error(node, f"cannot include '{name}': file not found")
    return loader.reader.include(target, loader.location(node))


def _construct_dir_list(loader: _Loader, node: yaml.Node) -> NodeList:
    items = NodeList(file=loader.path, line=_line(node))
    for file in loader.directory_files(node):
        value = loader.reader.include(file, loader.location(node))
        if value is not None:
            items.append_item(value, location_of(value) or Location(file, 1))
    return items


def _construct_dir_merge_list(loader: _Loader, node: yaml.Node) -> NodeList:
    items = NodeList(file=loader.path, line=_line(node))
    for file in loader.directory_files(node):
        value = loader.reader.include(file, loader.location(node))
        if value is None:
            continue
        if not isinstance(value, NodeList):
            at = location_of(value) or Location(file, 1)
            raise loader.reader.error(at, "!include_dir_merge_list needs a list in every file")
        for index, item in enumerate(value):
            items.append_item(item, value.item_location(index) or Location(file, 1))
    return items


def _construct_dir_named(loader: _Loader, node: yaml.Node) -> NodeDict:
    mapping = NodeDict(file=loader.path, line=_line(node))
    for file in loader.directory_files(node):
        value = loader.reader.include(file, loader.location(node))
        if value is None:
            value = NodeDict(file=file, line=1)
        first = mapping.key_location(file.stem)
        if first is not None and first.file is not None:
            other = display_path(first.file, loader.reader.base)
            message = f"duplicate name '{file.stem}' in !include_dir_named (also {other})"
            raise loader.reader.error(Location(file, 1), message)
        mapping.set_item(
            file.stem, value, Location(file, 1), location_of(value) or Location(file, 1)
        )
    return mapping


def _construct_dir_merge_named(loader: _Loader, node: yaml.Node) -> NodeDict:
    mapping = NodeDict(file=loader.path, line=_line(node))
    for file in loader.directory_files(node):
        value = loader.reader.include(file, loader.location(node))
        if value is None:
            continue
        if not isinstance(value, NodeDict):
            at = location_of(value) or Location(file, 1)
            raise loader.reader.error(at, "!include_dir_merge_named needs a mapping in every file")
        for key, item in value.items():
            key_at = value.key_location(key) or Location(file, 1)
            first = mapping.key_location(key)
            if first is not None and first.file is not None:
                other = f"{display_path(first.file, loader.reader.base)}:{first.line}"
                raise loader.reader.error(key_at, f"duplicate key {key!r} (also in {other})")
            mapping.set_item(key, item, key_at, value.value_location(key) or key_at)
    return mapping


def _construct_secret(loader: _Loader, node: yaml.Node) -> Any:
    name = loader.argument(node, "mqtt_password")
    if loader.secrets_file:
        raise loader.error(node, f"{SECRETS_FILE} cannot use !secret; write the value itself")
    value = loader.reader.secret(name, loader.path, loader.location(node))
    if isinstance(value, str):
        return NodeStr(value, loader.path, _line(node))
    return value


def _construct_env_var(loader: _Loader, node: yaml.Node) -> NodeStr:
    name, separator, default = loader.argument(node, "MQTT_HOST").partition(" ")
    value = loader.reader.env(name)
    if value is None and separator:
        value = default.strip()
    if value is None:
        raise loader.error(
            node,
            f"environment variable '{name}' is not set; set it, "
            f"or give a default: !env_var {name} <default>",
        )
    return NodeStr(value, loader.path, _line(node))


def _construct_unknown(loader: _Loader, node: yaml.Node) -> Any:
    tag = str(node.tag)
    close = difflib.get_close_matches(tag, TAGS, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else f"; known tags: {', '.join(TAGS)}"
    raise loader.error(node, f"unknown tag '{tag}'{hint}")


_CONSTRUCTORS: dict[str | None, Callable[[_Loader, Any], Any]] = {
    "tag:yaml.org,2002:str": _construct_str,
    "tag:yaml.org,2002:seq": _construct_seq,
    "tag:yaml.org,2002:map": _construct_map,
    "!include": _construct_include,
    "!include_dir_list": _construct_dir_list,
    "!include_dir_merge_list": _construct_dir_merge_list,
    "!include_dir_named": _construct_dir_named,
    "!include_dir_merge_named": _construct_dir_merge_named,
    "!secret": _construct_secret,
    "!env_var": _construct_env_var,
    None: _construct_unknown,
}
for _tag, _constructor in _CONSTRUCTORS.items():
    _Loader.add_constructor(_tag, _constructor)

_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in entries if tag not in (_INT_TAG, _FLOAT_TAG)]
    for first, entries in _SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_INT_TAG, _INT_RE, list("-+0123456789"))
_Loader.add_implicit_resolver(_FLOAT_TAG, _FLOAT_RE, list("-+0123456789."))


def load_yaml(path: Path, *, config_dir: Path, env: Mapping[str, str] | None = None) -> Any:
    """Load ``path`` with includes and secrets resolved below ``config_dir``.

    ``env`` replaces ``os.environ`` for ``!env_var``. Raises :class:`ConfigError`.
    """
    return YamlReader(config_dir, env=env).load(path)


def load_yaml_text(
    text: str,
    path: Path,
    *,
    config_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Any:
    """Load YAML ``text`` as if read from ``path`` (config dir defaults to its folder)."""
    reader = YamlReader(path.parent if config_dir is None else config_dir, env=env)
    return reader.load_text(text, path)
