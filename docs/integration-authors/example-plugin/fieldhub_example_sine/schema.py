"""The YAML schema of the ``example_sine:`` section."""

import voluptuous as vol
from hub.api import cv

CONFIG_SCHEMA = vol.Schema(
    {
        vol.Optional("name", default="Sine"): cv.string,
        vol.Optional("amplitude", default=1.0): vol.Coerce(float),
        vol.Optional("period", default=60): vol.All(vol.Coerce(float), vol.Range(min=1)),
        vol.Optional("interval", default=5): vol.All(vol.Coerce(float), vol.Range(min=0.1)),
    }
)
