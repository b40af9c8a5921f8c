"""Writing configuration back as YAML, in the order it was read.

Values that were read from ``!secret`` or ``!env_var`` are written back as those tags,
so saving a configuration never writes a secret's value into the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from hub.config.nodes import Location, NodeDict, NodeList

try:
    from yaml import CSafeDumper as _SafeDumper
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper as _SafeDumper  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class _Tagged:
    tag: str
    argument: str


class _Dumper(_SafeDumper):
    pass


def _source(location: Location | None, value: Any) -> Any:
    if location is not None and location.source is not None:
        return _Tagged(*location.source)
    return value


def _represent_dict(dumper: _Dumper, data: dict[Any, Any]) -> yaml.Node:
    if isinstance(data, NodeDict):
        pairs = [(key, _source(data.value_location(key), value)) for key, value in data.items()]
        return dumper.represent_mapping("tag:yaml.org,2002:map", pairs)
    return dumper.represent_mapping("tag:yaml.org,2002:map", list(data.items()))


def _represent_list(dumper: _Dumper, data: list[Any]) -> yaml.Node:
    if isinstance(data, NodeList):
        items = [_source(data.item_location(index), item) for index, item in enumerate(data)]
        return dumper.represent_sequence("tag:yaml.org,2002:seq", items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data)


def _represent_str(dumper: _Dumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)


def _represent_tagged(dumper: _Dumper, data: _Tagged) -> yaml.Node:
    return dumper.represent_scalar(data.tag, data.argument)


_Dumper.add_multi_representer(dict, _represent_dict)
_Dumper.add_multi_representer(list, _represent_list)
_Dumper.add_multi_representer(str, _represent_str)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Tagged, _represent_tagged)


def dump_yaml(data: Any) -> str:
    """Serialize ``data`` as block-style YAML, keeping key order and multi-line text readable."""
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
    )
    return text
