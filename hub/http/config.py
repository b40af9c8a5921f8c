"""The ``http:`` section: Home Assistant's keys plus body-size, login and queue limits."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

import voluptuous as vol

from hub.config import cv

DEFAULT_PORT: Final = 8123
DEFAULT_MAX_BODY: Final = 1024 * 1024

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class HttpConfig:
    """The validated ``http:`` section."""

    server_host: tuple[str, ...] = ("0.0.0.0",)
    server_port: int = DEFAULT_PORT
    ssl_certificate: str | None = None
    ssl_key: str | None = None
    use_x_forwarded_for: bool = False
    trusted_proxies: tuple[Network, ...] = ()
    cors_allowed_origins: tuple[str, ...] = ()
    max_body_size: int = DEFAULT_MAX_BODY
    login_attempts_threshold: int = 5
    login_lockout: float = 300.0
    unauthenticated_requests_per_minute: int = 60
    access_token_lifetime: float = 1800.0
    websocket_send_queue: int = 4096


def _network(value: Any) -> Network:
    try:
        return ipaddress.ip_network(cv.string(value), strict=False)
    except ValueError as err:
        raise vol.Invalid(f"{value!r} is not an IP address or network (e.g. 10.0.0.0/8)") from err


def _empty_is_mapping(value: Any) -> Any:
    return {} if value is None else value


def _seconds(value: Any) -> float:
    period: timedelta = cv.positive_time_period(value)
    return period.total_seconds()


def _to_config(data: Mapping[str, Any]) -> HttpConfig:
    if bool(data.get("ssl_certificate")) != bool(data.get("ssl_key")):
        raise vol.Invalid("ssl_certificate and ssl_key go together: give both or neither")
    if data["use_x_forwarded_for"] and not data["trusted_proxies"]:
        raise vol.Invalid("use_x_forwarded_for needs trusted_proxies (the proxies' addresses)")
    return HttpConfig(
        server_host=tuple(data["server_host"]),
        server_port=data["server_port"],
        ssl_certificate=data.get("ssl_certificate"),
        ssl_key=data.get("ssl_key"),
        use_x_forwarded_for=data["use_x_forwarded_for"],
        trusted_proxies=tuple(data["trusted_proxies"]),
        cors_allowed_origins=tuple(data["cors_allowed_origins"]),
        max_body_size=data["max_body_size"],
        login_attempts_threshold=data["login_attempts_threshold"],
        login_lockout=data["login_lockout"],
        unauthenticated_requests_per_minute=data["unauthenticated_requests_per_minute"],
        access_token_lifetime=data["access_token_lifetime"],
        websocket_send_queue=data["websocket_send_queue"],
    )


CONFIG_SCHEMA: Final = vol.Schema(
    vol.All(
        _empty_is_mapping,
        {
            vol.Optional("server_host", default=["0.0.0.0"]): vol.All(cv.ensure_list, [cv.string]),
            vol.Optional("server_port", default=DEFAULT_PORT): cv.port,
            vol.Optional("ssl_certificate"): cv.string,
            vol.Optional("ssl_key"): cv.string,
            vol.Optional("use_x_forwarded_for", default=False): cv.boolean,
            vol.Optional("trusted_proxies", default=[]): vol.All(cv.ensure_list, [_network]),
            vol.Optional("cors_allowed_origins", default=[]): vol.All(cv.ensure_list, [cv.url]),
            vol.Optional("max_body_size", default=DEFAULT_MAX_BODY): cv.int_in_range(1024),
            vol.Optional("login_attempts_threshold", default=5): cv.int_in_range(1, 1000),
            vol.Optional("login_lockout", default=300): _seconds,
            vol.Optional("unauthenticated_requests_per_minute", default=60): cv.int_in_range(
                1, 100_000
            ),
            vol.Optional("access_token_lifetime", default=1800): _seconds,
            vol.Optional("websocket_send_queue", default=4096): cv.int_in_range(1, 1_000_000),
        },
        _to_config,
    )
)
"""Schema of the ``http:`` section; validating gives an :class:`HttpConfig`."""
