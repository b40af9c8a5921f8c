"""Connection settings shared by the intake and publishing connections."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import const as c


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A message to publish (birth, will, service calls, commands)."""

    topic: str
    payload: str | bytes
    qos: int = 0
    retain: bool = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> OutgoingMessage | None:
        """From a validated ``birth_message``/``will_message`` mapping."""
        if not config:
            return None
        return cls(
            config[c.CONF_TOPIC], config[c.CONF_PAYLOAD], config[c.CONF_QOS], config[c.CONF_RETAIN]
        )


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """Where and how to connect; ``client_id`` names the persistent intake session."""

    host: str
    port: int
    client_id: str
    username: str | None = None
    password: str | None = None
    mqtt5: bool = False
    keepalive: int = 60
    tls: ssl.SSLContext | None = None
    tls_insecure: bool = False
    session_expiry: int = 86_400
    shared_group: str | None = None
    birth: OutgoingMessage | None = None
    will: OutgoingMessage | None = None


def build_tls_context(config: Mapping[str, Any], config_dir: Path) -> ssl.SSLContext | None:
    """An SSL context from ``certificate``/``client_cert``/``client_key`` (blocking reads)."""
    if c.CONF_CERTIFICATE not in config and c.CONF_CLIENT_CERT not in config:
        return None

    def resolve(name: str) -> str:
        path = Path(name)
        return str(path if path.is_absolute() else config_dir / path)

    ca = config.get(c.CONF_CERTIFICATE)
    context = ssl.create_default_context(cafile=None if ca in (None, "auto") else resolve(ca))
    if c.CONF_CLIENT_CERT in config:
        context.load_cert_chain(
            resolve(config[c.CONF_CLIENT_CERT]), resolve(config[c.CONF_CLIENT_KEY])
        )
    if config.get(c.CONF_TLS_INSECURE):
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def settings_from_config(
    config: Mapping[str, Any], host: str, port: int, tls: ssl.SSLContext | None
) -> ConnectionSettings:
    """Connection settings from the validated ``mqtt:`` section."""
    return ConnectionSettings(
        host=host,
        port=port,
        client_id=config[c.CONF_CLIENT_ID],
        username=config.get(c.CONF_USERNAME),
        password=config.get(c.CONF_PASSWORD),
        mqtt5=config[c.CONF_PROTOCOL] == c.PROTOCOL_5,
        keepalive=config[c.CONF_KEEPALIVE],
        tls=tls,
        tls_insecure=config[c.CONF_TLS_INSECURE],
        session_expiry=config[c.CONF_SESSION_EXPIRY],
        shared_group=config.get(c.CONF_SHARED_GROUP),
        birth=OutgoingMessage.from_config(config[c.CONF_BIRTH_MESSAGE]),
        will=OutgoingMessage.from_config(config[c.CONF_WILL_MESSAGE]),
    )
