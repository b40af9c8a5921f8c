"""E-mail target against a real SMTP server (aiosmtpd): STARTTLS, implicit TLS, auth."""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
from collections.abc import AsyncIterator, Callable
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from hub.api import Hub

PASSWORD = "smtp-pass-word-42"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 / localhost."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory = tmp_path_factory.mktemp("tls")
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Inbox:
    """An aiosmtpd handler that keeps what arrives and refuses one address."""

    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, Message, bool]] = []

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        data = envelope.content if isinstance(envelope.content, bytes) else b""
        tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        self.messages.append((envelope, message_from_bytes(data), tls))
        return "250 Message accepted"


def authenticator(
    server: Any, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


SmtpFactory = Callable[..., Any]


@pytest_asyncio.fixture
async def smtp_server(
    certificate: tuple[Path, Path], unused_port: Callable[[], int]
) -> AsyncIterator[SmtpFactory]:
    controllers: list[Controller] = []

    async def start(mode: str) -> tuple[Inbox, int]:
        inbox, port = Inbox(), unused_port()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*map(str, certificate))
        kwargs: dict[str, Any] = {"authenticator": authenticator, "auth_require_tls": True}
        if mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        elif mode == "tls":
            kwargs.update(ssl_context=context, auth_require_tls=False)
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
        await asyncio.to_thread(controller.start)
        controllers.append(controller)
        return inbox, port

    yield start
    for controller in controllers:
        await asyncio.to_thread(controller.stop)


def email_yaml(port: int, encryption: str, ca_file: Path | None, **extra: str) -> str:
    lines = [
        "notify:",
        "  targets:",
        "    - name: ops_email",
        "      platform: email",
        "      host: 127.0.0.1",
        f"      port: {port}",
        f"      encryption: {encryption}",
        "      username: hub",
        "      password: !secret smtp_password",
        "      sender: hub@plant.example",
        "      sender_name: Fieldhub",
        "      recipients: [ops@plant.example, boss@plant.example]",
        "      retry: {schedule: [0, 5], jitter: 0}",
    ]
    if ca_file is not None:
        lines.append(f"      ca_file: {ca_file}")
    lines += [f"      {k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


SECRETS = f"smtp_password: {PASSWORD}\n"


@pytest.mark.parametrize("mode", ["starttls", "tls"])
async def test_email_over_tls_with_auth_reaches_every_recipient(
    hub: Hub,
    setup_notify: Any,
    smtp_server: SmtpFactory,
    certificate: tuple[Path, Path],
    deliveries: Any,
    mode: str,
) -> None:
    inbox, port = await smtp_server(mode)
    runtime = await setup_notify(email_yaml(port, mode, certificate[0]), SECRETS)
    await hub.services.call(
        "notify",
        "ops_email",
        {
            "title": "Tank {{ tank }} low",
            "message": "Level at {{ level }} %",
            "data": {"tank": 3, "level": 12, "html": "<p>Level at <b>12 %</b></p>"},
        },
    )
    await runtime.notifier.wait_idle()
    [(envelope, message, encrypted)] = inbox.messages
    assert encrypted
    assert envelope.mail_from == "hub@plant.example"
    assert sorted(envelope.rcpt_tos) == ["boss@plant.example", "ops@plant.example"]
    assert message["Subject"] == "Tank 3 low"
    assert message["From"] == "Fieldhub <hub@plant.example>"
    assert message["To"] == "ops@plant.example, boss@plant.example"
    assert message["Message-ID"].startswith("<msg_")
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "Level at 12 %" in parts["text/plain"].get_payload(decode=True).decode()
    assert "<b>12 %</b>" in parts["text/html"].get_payload(decode=True).decode()
    [row] = await deliveries(target="ops_email")
    assert row["status"] == "delivered"


async def test_certificates_are_verified_by_default(
    hub: Hub, setup_notify: Any, smtp_server: SmtpFactory, deliveries: Any
) -> None:
    inbox, port = await smtp_server("tls")
    runtime = await setup_notify(email_yaml(port, "tls", None), SECRETS)
    await hub.services.call("notify", "ops_email", {"message": "hello"})
    await runtime.notifier.wait_idle()
    [row] = await deliveries(target="ops_email")
    assert row["status"] == "failed"
    assert "certificate" in row["last_error"].lower()
    assert inbox.messages == []


async def test_wrong_password_is_a_permanent_failure(
    hub: Hub, setup_notify: Any, smtp_server: SmtpFactory, certificate: Any, deliveries: Any
) -> None:
    _, port = await smtp_server("starttls")
    runtime = await setup_notify(
        email_yaml(port, "starttls", certificate[0]), "smtp_password: wrong-one\n"
    )
    await hub.services.call("notify", "ops_email", {"message": "hello"})
    await runtime.notifier.wait_idle()
    [row] = await deliveries(target="ops_email")
    assert (row["status"], row["last_status_code"]) == ("failed", 535)


async def test_refused_recipients(
    hub: Hub,
    setup_notify: Any,
    smtp_server: SmtpFactory,
    certificate: Any,
    deliveries: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    inbox, port = await smtp_server("starttls")
    yaml = email_yaml(port, "starttls", certificate[0])
    yaml = yaml.replace(
        "recipients: [ops@plant.example, boss@plant.example]",
        "recipients: [ops@plant.example, nobody@plant.example]",
    )
    yaml += (
        email_yaml(port, "starttls", certificate[0])
        .split("targets:\n", 1)[1]
        .replace("ops_email", "nobody_email")
        .replace("[ops@plant.example, boss@plant.example]", "[nobody@plant.example]")
    )
    runtime = await setup_notify(yaml, SECRETS)
    await hub.services.call("notify", "ops_email", {"message": "partly"})
    await hub.services.call("notify", "nobody_email", {"message": "nobody"})
    await runtime.notifier.wait_idle()
    [(envelope, _, _)] = inbox.messages
    assert envelope.rcpt_tos == ["ops@plant.example"]
    assert "nobody@plant.example (550)" in caplog.text
    [partial] = await deliveries(target="ops_email")
    [refused] = await deliveries(target="nobody_email")
    assert partial["status"] == "delivered"
    assert (refused["status"], refused["last_status_code"]) == ("failed", 550)


def test_tls_cert_fixture_is_self_signed(certificate: tuple[Path, Path]) -> None:
    cert = x509.load_pem_x509_certificate(certificate[0].read_bytes())
    assert cert.issuer == cert.subject
