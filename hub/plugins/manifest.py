"""Integration manifests (``manifest.json``), read without importing the integration."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import voluptuous as vol

from hub.core.errors import IntegrationError

MANIFEST_FILE = "manifest.json"
IOT_CLASSES = (
    "local_push",
    "local_polling",
    "cloud_push",
    "cloud_polling",
    "calculated",
    "assumed_state",
)

MANIFEST_SCHEMA = vol.Schema(
    {
        vol.Required("domain"): vol.Match(r"^[a-z][a-z0-9_]*$"),
        vol.Required("name"): str,
        vol.Required("version"): str,
        vol.Optional("dependencies", default=list): [str],
        vol.Optional("after_dependencies", default=list): [str],
        vol.Optional("iot_class", default="local_push"): vol.In(IOT_CLASSES),
        vol.Optional("zeroconf", default=list): [vol.Match(r"^_[a-z0-9-]+\._(tcp|udp)\.local\.$")],
        vol.Optional("mqtt", default=list): [str],
        vol.Optional("documentation"): str,
        vol.Optional("codeowners", default=list): [str],
        vol.Optional("quality_scale"): str,
    }
)


@dataclass(frozen=True, slots=True)
class Manifest:
    """What an integration declares about itself."""

    domain: str
    name: str
    version: str
    dependencies: tuple[str, ...] = ()
    after_dependencies: tuple[str, ...] = ()
    iot_class: str = "local_push"
    zeroconf: tuple[str, ...] = ()
    mqtt: tuple[str, ...] = ()
    documentation: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any, source: str) -> Manifest:
        """Validate a manifest mapping."""
        try:
            valid = MANIFEST_SCHEMA(data)
        except vol.Invalid as err:
            raise IntegrationError(f"{source}: invalid manifest: {err}") from err
        return cls(
            domain=valid["domain"],
            name=valid["name"],
            version=valid["version"],
            dependencies=tuple(valid["dependencies"]),
            after_dependencies=tuple(valid["after_dependencies"]),
            iot_class=valid["iot_class"],
            zeroconf=tuple(valid["zeroconf"]),
            mqtt=tuple(valid["mqtt"]),
            documentation=valid.get("documentation"),
        )

    @classmethod
    def from_file(cls, path: Path) -> Manifest:
        """Read and validate ``path``."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise IntegrationError(f"{path}: cannot read manifest: {err}") from err
        return cls.from_dict(data, str(path))

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API."""
        return {
            "domain": self.domain,
            "name": self.name,
            "version": self.version,
            "dependencies": list(self.dependencies),
            "after_dependencies": list(self.after_dependencies),
            "iot_class": self.iot_class,
            "zeroconf": list(self.zeroconf),
            "mqtt": list(self.mqtt),
        }


def manifest_path_for_module(module_name: str) -> Path:
    """Where the manifest of ``module_name`` lives, found without importing the module."""
    spec = importlib.util.find_spec(module_name)
    if spec is None:
        raise IntegrationError(f"module {module_name} not found")
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / MANIFEST_FILE
    if spec.origin is None:
        raise IntegrationError(f"module {module_name} has no location")
    return Path(spec.origin).parent / MANIFEST_FILE
