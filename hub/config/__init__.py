"""Configuration: the YAML loader, validators, the ``hub:`` schema and error formatting."""

from hub.config.errors import ConfigError, ConfigIssue, format_issue
from hub.config.loader import HubConfig, check_config, load_configuration
from hub.config.validation import validate_section
from hub.config.yaml_dumper import dump_yaml
from hub.config.yaml_loader import load_yaml, load_yaml_text

__all__ = [
    "ConfigError",
    "ConfigIssue",
    "HubConfig",
    "check_config",
    "dump_yaml",
    "format_issue",
    "load_configuration",
    "load_yaml",
    "load_yaml_text",
    "validate_section",
]
