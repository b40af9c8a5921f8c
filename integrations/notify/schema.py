"""Configuration schema of the ``notify`` section, with every default in one place.

Targets carry the common delivery keys (``name``, ``platform``, ``retry``, ``rate_limit``,
``dedup_window``, ``timeout``) next to their platform's options. Built-in platforms are
validated here, when the configuration is read; a platform added by another integration is
validated when ``notify`` sets up, against the schema it registered.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import time as dt_time
from datetime import timedelta
from typing import Any, Final

import voluptuous as vol

from hub.api import cv

from .const import (
    ALERT_STATES,
    CONF_DEDUP_WINDOW,
    CONF_JITTER,
    CONF_LOG_RETENTION,
    CONF_NAME,
    CONF_PLATFORM,
    CONF_RATE_LIMIT,
    CONF_RETRY,
    CONF_ROUTES,
    CONF_SCHEDULE,
    CONF_TARGETS,
    CONF_TIMEOUT,
    PERSISTENT_TARGET,
    SEVERITIES,
)
from .policy import DEFAULT_SCHEDULE, RetryPolicy
from .templating import check as template

DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_DEDUP_WINDOW: Final = 60.0
DEFAULT_LOG_RETENTION: Final = timedelta(days=30)
DEFAULT_JITTER: Final = 0.1
DEFAULT_GROUP_WAIT: Final = timedelta(seconds=30)
DEFAULT_GROUP_INTERVAL: Final = timedelta(minutes=5)
DEFAULT_REPEAT_INTERVAL: Final = timedelta(hours=4)
SMTP_PORTS: Final = {"starttls": 587, "tls": 465, "none": 25}
SMS_MAX_LENGTH: Final = 1600
PUSHOVER_MIN_POLL: Final = 5.0
WEBHOOK_SECRET_PREFIX: Final = "whsec_"
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_TELEGRAM_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")


# -- small validators -------------------------------------------------------------------------
def seconds(value: Any) -> float:
    """A duration of zero or more, as float seconds."""
    return cv.positive_time_period(value).total_seconds()


def e164(value: Any) -> str:
    """A phone number in E.164 form (``+`` and 7 to 15 digits)."""
    text = cv.string(value).strip().replace(" ", "")
    if _E164.match(text):
        return text
    raise vol.Invalid(f"expected a phone number in E.164 form such as +14155550123, got {value!r}")


def webhook_secret(value: Any) -> str:
    """A Standard Webhooks secret: ``whsec_`` and the base64 of 24 to 64 random bytes."""
    text = cv.string(value).strip()
    if not text.startswith(WEBHOOK_SECRET_PREFIX):
        raise vol.Invalid("expected a secret starting with 'whsec_' followed by base64")
    try:
        raw = base64.b64decode(text[len(WEBHOOK_SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise vol.Invalid("the part after 'whsec_' is not valid base64") from None
    if not 24 <= len(raw) <= 64:
        raise vol.Invalid(f"the secret must decode to 24 to 64 bytes, not {len(raw)}")
    return text


def telegram_token(value: Any) -> str:
    """A bot token as given by BotFather (``<digits>:<key>``)."""
    text = cv.string(value).strip()
    if _TELEGRAM_TOKEN.match(text):
        return text
    raise vol.Invalid("expected a bot token such as 123456:ABC-DEF… (from BotFather)")


def url_or_template(value: Any) -> str:
    """A URL, or a template that renders to one."""
    text = cv.string(value).strip()
    return template(text) if "{{" in text or "{%" in text else cv.url(text)


def _chat_id(value: Any) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = cv.string(value).strip()
    if text.startswith("@") and len(text) > 1:
        return text
    try:
        return int(text)
    except ValueError:
        raise vol.Invalid(f"expected a numeric chat id or @channelname, got {value!r}") from None


def _string_map(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise vol.Invalid("expected a mapping of names to text")
    return {cv.string(k): template(cv.string(v)) for k, v in value.items()}


# -- platform options -------------------------------------------------------------------------
EMAIL: Final[dict[Any, Any]] = {
    vol.Required("host"): cv.string,
    vol.Optional("port"): cv.port,
    vol.Optional("encryption", default="starttls"): cv.one_of("starttls", "tls", "none"),
    vol.Optional("username"): cv.string,
    vol.Optional("password"): cv.string,
    vol.Optional("verify_ssl", default=True): cv.boolean,
    vol.Optional("ca_file"): cv.string,
    vol.Required("sender"): cv.email,
    vol.Optional("sender_name"): cv.string,
    vol.Required("recipients"): vol.All(cv.ensure_list, vol.Length(min=1), [cv.email]),
}

WEBHOOK: Final[dict[Any, Any]] = {
    vol.Required("url"): cv.url,
    vol.Optional("secret", default=list): vol.All(cv.ensure_list, [webhook_secret]),
    vol.Optional("github_secret"): cv.string,
    vol.Optional("headers", default=dict): _string_map,
    vol.Optional("event_type", default="notify.message"): cv.string,
}

SMS_TWILIO: Final[dict[Any, Any]] = {
    vol.Required("account_sid"): vol.All(cv.string, vol.Match(r"^AC[0-9a-fA-F]{32}$")),
    vol.Required("auth_token"): cv.string,
    vol.Exclusive("from_number", "sender"): e164,
    vol.Exclusive("messaging_service_sid", "sender"): vol.All(cv.string, vol.Match(r"^MG")),
    vol.Required("recipients"): vol.All(cv.ensure_list, vol.Length(min=1), [e164]),
    vol.Optional("api_url", default="https://api.twilio.com"): cv.url,
    vol.Optional("status_callback"): cv.url,
    vol.Optional("split_long", default=True): cv.boolean,
}

HTTP: Final[dict[Any, Any]] = {
    vol.Required("url"): url_or_template,
    vol.Optional("method", default="POST"): vol.All(
        cv.string, vol.Upper, cv.one_of("POST", "PUT", "GET")
    ),
    vol.Optional("headers", default=dict): _string_map,
    vol.Exclusive("body", "body"): vol.All(cv.string, template),
    vol.Exclusive("form", "body"): _string_map,
    vol.Exclusive("json", "body"): _string_map,
    vol.Optional("recipients", default=list): vol.All(cv.ensure_list, [cv.string]),
    vol.Optional("username"): cv.string,
    vol.Optional("password"): cv.string,
    vol.Optional("token"): cv.string,
    vol.Optional("max_length"): vol.All(cv.integer, vol.Range(min=1)),
}

NTFY: Final[dict[Any, Any]] = {
    vol.Optional("url", default="https://ntfy.sh"): cv.url,
    vol.Required("topic"): vol.All(cv.string, vol.Match(r"^[-_A-Za-z0-9]{1,64}$")),
    vol.Optional("token"): cv.string,
    vol.Optional("username"): cv.string,
    vol.Optional("password"): cv.string,
    vol.Optional("priority"): vol.Any(
        vol.All(cv.integer, vol.Range(min=1, max=5)),
        cv.one_of("min", "low", "default", "high", "max", "urgent"),
    ),
    vol.Optional("tags", default=list): vol.All(cv.ensure_list, [cv.string]),
    vol.Optional("click"): cv.url,
}

GOTIFY: Final[dict[Any, Any]] = {
    vol.Required("url"): cv.url,
    vol.Required("token"): cv.string,
    vol.Optional("priority", default=5): vol.All(cv.integer, vol.Range(min=0, max=10)),
}

PUSHOVER: Final[dict[Any, Any]] = {
    vol.Required("token"): cv.string,
    vol.Required("user_key"): cv.string,
    vol.Optional("device"): cv.string,
    vol.Optional("priority", default=0): vol.All(cv.integer, vol.Range(min=-2, max=2)),
    vol.Optional("sound"): cv.string,
    vol.Optional("retry", default=60): vol.All(cv.integer, vol.Range(min=30)),
    vol.Optional("expire", default=3600): vol.All(cv.integer, vol.Range(min=30, max=10800)),
    vol.Optional("receipt_poll_interval", default=30.0): vol.All(
        seconds, vol.Range(min=PUSHOVER_MIN_POLL, msg="receipts are polled at most every 5 s")
    ),
    vol.Optional("api_url", default="https://api.pushover.net"): cv.url,
}

TELEGRAM: Final[dict[Any, Any]] = {
    vol.Required("bot_token"): telegram_token,
    vol.Required("chat_ids"): vol.All(cv.ensure_list, vol.Length(min=1), [_chat_id]),
    vol.Optional("parse_mode"): cv.one_of("HTML", "MarkdownV2", "Markdown"),
    vol.Optional("disable_notification", default=False): cv.boolean,
    vol.Optional("api_url", default="https://api.telegram.org"): cv.url,
}

PERSISTENT: Final[dict[Any, Any]] = {}

BUILTIN_OPTIONS: Final[dict[str, dict[Any, Any]]] = {
    "email": EMAIL,
    "webhook": WEBHOOK,
    "sms_twilio": SMS_TWILIO,
    "http": HTTP,
    "ntfy": NTFY,
    "gotify": GOTIFY,
    "pushover": PUSHOVER,
    "telegram": TELEGRAM,
    "persistent": PERSISTENT,
}
"""Option schemas of the platforms this integration ships, by platform name."""


# -- targets ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``count`` sends per ``period`` seconds, bursting to ``burst``."""

    count: int
    period: float
    burst: int


@dataclass(frozen=True, slots=True)
class TargetConfig:
    """One validated target. ``options`` are the platform's keys; ``validated`` is False
    for platforms from other integrations, whose options are checked at set-up."""

    name: str
    platform: str
    retry: RetryPolicy
    rate_limit: RateLimit | None
    dedup_window: float
    timeout: float
    options: Mapping[str, Any] = field(default_factory=dict)
    validated: bool = True
    index: int = 0
    source: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The target as written (it carries file and line for later errors)."""


def _retry(value: Any) -> RetryPolicy:
    data = vol.Schema(
        {
            vol.Optional(CONF_SCHEDULE, default=list(DEFAULT_SCHEDULE)): vol.All(
                cv.ensure_list, vol.Length(min=1), [seconds]
            ),
            vol.Optional(CONF_JITTER, default=DEFAULT_JITTER): vol.All(
                cv.number, vol.Range(min=0, max=1)
            ),
        }
    )(cv.empty_mapping(value))
    return RetryPolicy(tuple(data[CONF_SCHEDULE]), float(data[CONF_JITTER]))


def _rate_limit(value: Any) -> RateLimit:
    data = vol.Schema(
        {
            vol.Required("count"): vol.All(cv.integer, vol.Range(min=1)),
            vol.Optional("period", default=1.0): vol.All(seconds, vol.Range(min=0.001)),
            vol.Optional("burst"): vol.All(cv.integer, vol.Range(min=1)),
        }
    )(value)
    return RateLimit(data["count"], data["period"], data.get("burst", data["count"]))


COMMON: Final[dict[Any, Any]] = {
    vol.Required(CONF_NAME): cv.slug,
    vol.Required(CONF_PLATFORM): cv.slug,
    vol.Optional(CONF_RETRY, default=dict): _retry,
    vol.Optional(CONF_RATE_LIMIT): _rate_limit,
    vol.Optional(CONF_DEDUP_WINDOW, default=DEFAULT_DEDUP_WINDOW): seconds,
    vol.Optional(CONF_TIMEOUT, default=DEFAULT_TIMEOUT): vol.All(seconds, vol.Range(min=0.1)),
}
COMMON_KEYS: Final = frozenset(str(key) for key in COMMON)


def _target(value: Any) -> TargetConfig:
    if not isinstance(value, Mapping):
        raise vol.Invalid("expected a mapping with at least 'name' and 'platform'")
    common = vol.Schema(COMMON, extra=vol.ALLOW_EXTRA)(value)
    platform = common[CONF_PLATFORM]
    options_schema = BUILTIN_OPTIONS.get(platform)
    rest = {k: v for k, v in value.items() if k not in COMMON_KEYS}
    if options_schema is None:
        options: Mapping[str, Any] = rest
    else:
        known = [str(k) for k in options_schema]
        for key in rest:
            if str(key) not in known:
                close = difflib.get_close_matches(str(key), [*known, *COMMON_KEYS], n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise vol.Invalid(
                    f"unknown option '{key}' for platform '{platform}'{hint}", path=[key]
                )
        options = vol.Schema(options_schema)(rest)
        if platform == "email":
            options = {**options, "port": options.get("port", SMTP_PORTS[options["encryption"]])}
    return TargetConfig(
        name=common[CONF_NAME],
        platform=platform,
        retry=common[CONF_RETRY],
        rate_limit=common.get(CONF_RATE_LIMIT),
        dedup_window=common[CONF_DEDUP_WINDOW],
        timeout=common[CONF_TIMEOUT],
        options=options,
        validated=options_schema is not None,
        source=value,
    )


# -- routes -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily window (in the hub's time zone) when non-critical notifications wait."""

    start: dt_time
    end: dt_time


@dataclass(frozen=True, slots=True)
class EscalationTier:
    """Notify ``targets`` if the alert is still unacknowledged ``after`` seconds."""

    after: float
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Route:
    """Where alerts of some severities go, and how they are grouped and repeated."""

    targets: tuple[str, ...]
    severity: tuple[str, ...] = SEVERITIES
    group_by: tuple[str, ...] = ("alert_id",)
    group_wait: float = DEFAULT_GROUP_WAIT.total_seconds()
    group_interval: float = DEFAULT_GROUP_INTERVAL.total_seconds()
    repeat_interval: float = DEFAULT_REPEAT_INTERVAL.total_seconds()
    send_resolved: bool = True
    quiet_hours: QuietHours | None = None
    escalation: tuple[EscalationTier, ...] = ()
    continue_matching: bool = False


_TARGET_NAMES = vol.All(cv.ensure_list, vol.Length(min=1), [cv.slug])

_ROUTE = vol.Schema(
    {
        vol.Required("targets"): _TARGET_NAMES,
        vol.Optional("severity", default=list(SEVERITIES)): vol.All(
            cv.ensure_list, [cv.one_of(*SEVERITIES)]
        ),
        vol.Optional("group_by", default=["alert_id"]): vol.All(
            cv.ensure_list, [cv.one_of("alert_id", "severity")]
        ),
        vol.Optional("group_wait", default=DEFAULT_GROUP_WAIT): seconds,
        vol.Optional("group_interval", default=DEFAULT_GROUP_INTERVAL): vol.All(
            seconds, vol.Range(min=1)
        ),
        vol.Optional("repeat_interval", default=DEFAULT_REPEAT_INTERVAL): vol.All(
            seconds, vol.Range(min=1)
        ),
        vol.Optional("send_resolved", default=True): cv.boolean,
        vol.Optional("quiet_hours"): {vol.Required("start"): cv.time, vol.Required("end"): cv.time},
        vol.Optional("escalation", default=list): [
            {
                vol.Required("after"): vol.All(seconds, vol.Range(min=1)),
                vol.Required("targets"): _TARGET_NAMES,
            }
        ],
        vol.Optional("continue", default=False): cv.boolean,
    }
)


def _route(value: Any) -> Route:
    data = _ROUTE(value)
    quiet = data.get("quiet_hours")
    return Route(
        targets=tuple(data["targets"]),
        severity=tuple(data["severity"]),
        group_by=tuple(data["group_by"]),
        group_wait=data["group_wait"],
        group_interval=data["group_interval"],
        repeat_interval=data["repeat_interval"],
        send_resolved=data["send_resolved"],
        quiet_hours=QuietHours(quiet["start"], quiet["end"]) if quiet else None,
        escalation=tuple(
            EscalationTier(t["after"], tuple(t["targets"])) for t in data["escalation"]
        ),
        continue_matching=data["continue"],
    )


# -- the section ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NotifyConfig:
    """The validated ``notify:`` section."""

    targets: tuple[TargetConfig, ...] = ()
    routes: tuple[Route, ...] = ()
    log_retention: float = DEFAULT_LOG_RETENTION.total_seconds()


def _check_references(config: dict[str, Any]) -> NotifyConfig:
    targets: list[TargetConfig] = config[CONF_TARGETS]
    names: set[str] = {PERSISTENT_TARGET}
    seen: set[str] = set()
    indexed = []
    for index, target in enumerate(targets):
        if target.name in seen:
            raise vol.Invalid(
                f"target name '{target.name}' is used twice; names must be unique",
                path=[CONF_TARGETS, index, CONF_NAME],
            )
        seen.add(target.name)
        names.add(target.name)
        indexed.append(replace(target, index=index))
    routes: list[Route] = config[CONF_ROUTES]
    for r_index, route in enumerate(routes):
        tiers = [("targets", None, route.targets)] + [
            ("escalation", t_index, tier.targets) for t_index, tier in enumerate(route.escalation)
        ]
        for key, t_index, refs in tiers:
            for ref_index, ref in enumerate(refs):
                if ref not in names:
                    where: list[Any] = [CONF_ROUTES, r_index, key]
                    where += [t_index, "targets", ref_index] if t_index is not None else [ref_index]
                    close = difflib.get_close_matches(ref, sorted(names), n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    raise vol.Invalid(f"no target named '{ref}'{hint}", path=where)
    return NotifyConfig(tuple(indexed), tuple(routes), config[CONF_LOG_RETENTION])


CONFIG_SCHEMA: Final = vol.All(
    cv.empty_mapping,
    vol.Schema(
        {
            vol.Optional(CONF_TARGETS, default=list): vol.All(cv.ensure_list, [_target]),
            vol.Optional(CONF_ROUTES, default=list): vol.All(cv.ensure_list, [_route]),
            vol.Optional(CONF_LOG_RETENTION, default=DEFAULT_LOG_RETENTION): seconds,
        }
    ),
    _check_references,
)
"""Validates the ``notify:`` section into a :class:`NotifyConfig`."""

ALERT_SERVICE_SCHEMA: Final = vol.Schema(
    {
        vol.Required("alert_id"): cv.string,
        vol.Optional("severity", default="warning"): cv.one_of(*SEVERITIES),
        vol.Optional("state", default="firing"): cv.one_of(*ALERT_STATES),
        vol.Optional("title"): cv.string,
        vol.Optional("message", default=""): cv.string,
        vol.Optional("data", default=dict): dict,
    }
)
"""Data of the ``notify.alert`` service."""

MESSAGE_SERVICE_SCHEMA: Final = vol.Schema(
    {
        vol.Required("message"): cv.string,
        vol.Optional("title"): cv.string,
        vol.Optional("data", default=dict): dict,
    }
)
"""Data of the ``notify.<target>`` services."""
