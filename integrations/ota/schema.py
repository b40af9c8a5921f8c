"""Schemas and defaults: the ``ota:`` YAML section and the rollout request body."""

from __future__ import annotations

import re
from typing import Any

import voluptuous as vol

from hub.api import cv

from . import const as c
from .models import DEFAULT_STALL_TIMEOUT
from .signing import SignatureError, load_public_key

SEMVER = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?")
MODEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}")


def semver(value: Any) -> str:
    """A semantic version such as ``1.4.0`` or ``2.0.0-rc.1`` (at most 32 bytes)."""
    text = str(value).strip()
    if len(text) > 32 or not SEMVER.fullmatch(text):
        raise vol.Invalid(f"{text!r} is not a semantic version like 1.4.0")
    return text


def model_name(value: Any) -> str:
    """A device model name: letters, digits, space, dot, dash and underscore."""
    text = str(value).strip()
    if not MODEL.fullmatch(text):
        raise vol.Invalid(f"{text!r} is not a valid model name")
    return text


def percent_or_count(value: Any) -> tuple[str, float]:
    """``5`` (devices) → ``("count", 5)``; ``"10%"`` (of the group) → ``("percent", 10)``."""
    if isinstance(value, str) and value.strip().endswith("%"):
        number = vol.Coerce(float)(value.strip()[:-1])
        if not 0 < number <= 100:
            raise vol.Invalid("a percentage must be in 0 < p ≤ 100")
        return ("percent", number)
    count = vol.Coerce(int)(value)
    if count < 0:
        raise vol.Invalid("a count must not be negative")
    return ("count", float(count))


def publisher_key(value: Any) -> str:
    """An Ed25519 public key: base64 of the raw 32 bytes (``hub ota keygen``) or PEM."""
    text = str(value)
    try:
        load_public_key(text)
    except (SignatureError, ValueError) as err:
        raise vol.Invalid(f"not an Ed25519 public key: {err}") from err
    return text


MODEL_SCHEMA = vol.Schema(
    {
        vol.Required(c.CONF_SLOT_SIZE): vol.All(vol.Coerce(int), vol.Range(min=1024)),
        vol.Optional(c.CONF_PROJECT_NAME): str,
        vol.Optional(c.CONF_CHIP, default=c.CHIP_ESP32): vol.In([c.CHIP_ESP32, c.CHIP_ESP8266]),
        vol.Optional(c.CONF_COMMAND_TOPIC): str,
    }
)

CONFIG_SCHEMA = vol.Schema(
    {
        vol.Optional(c.CONF_PUBLISHER_KEYS, default=[]): vol.All(cv.ensure_list, [publisher_key]),
        vol.Optional(c.CONF_BASE_URL, default=c.DEFAULT_BASE_URL): cv.url,
        vol.Optional(c.CONF_MAX_IMAGE_SIZE, default=c.DEFAULT_MAX_IMAGE_SIZE): vol.All(
            vol.Coerce(int), vol.Range(min=1024)
        ),
        vol.Optional(c.CONF_MODELS, default={}): {vol.All(str, model_name): MODEL_SCHEMA},
        vol.Optional(c.CONF_MAX_ATTEMPTS, default=c.DEFAULT_MAX_ATTEMPTS): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=20)
        ),
        vol.Optional(c.CONF_CONCURRENCY, default=c.DEFAULT_CONCURRENCY): vol.All(
            vol.Coerce(int), vol.Range(min=1)
        ),
    }
)

ROLLOUT_SCHEMA = vol.Schema(
    {
        vol.Required("image_id"): str,
        vol.Optional("name"): vol.All(str, vol.Length(max=100)),
        vol.Optional("target", default={}): vol.Schema(
            {
                vol.Optional("area"): str,
                vol.Optional("device_ids"): [str],
                vol.Optional("percentage", default=100.0): vol.All(
                    vol.Coerce(float), vol.Range(min=0, min_included=False, max=100)
                ),
            }
        ),
        vol.Optional("canary", default=0): percent_or_count,
        vol.Optional("groups", default=[100.0]): vol.All(
            [vol.All(vol.Coerce(float), vol.Range(min=0, min_included=False, max=100))],
            vol.Length(min=1),
        ),
        vol.Optional("success_threshold", default=100.0): vol.All(
            vol.Coerce(float), vol.Range(min=0, max=100)
        ),
        vol.Optional("error_threshold", default="1"): percent_or_count,
        vol.Optional("error_action", default="pause"): vol.In(["pause", "abort"]),
        vol.Optional("manual_gate", default=False): cv.boolean,
        vol.Optional("soak", default=0): vol.All(vol.Coerce(float), vol.Range(min=0)),
        vol.Optional("stall_timeout", default=DEFAULT_STALL_TIMEOUT): vol.All(
            vol.Coerce(float), vol.Range(min=10)
        ),
        vol.Optional("concurrency"): vol.All(vol.Coerce(int), vol.Range(min=1)),
        vol.Optional("max_attempts"): vol.All(vol.Coerce(int), vol.Range(min=1, max=20)),
    }
)
