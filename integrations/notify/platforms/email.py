"""E-mail over SMTP: STARTTLS, implicit TLS or plain, with optional authentication."""

from __future__ import annotations

import email.utils
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

import aiosmtplib

from hub.api import Hub

from ..model import DeliveryError, Notification
from ..redact import LOGGER

_SUBJECT_FROM_MESSAGE = 78


def _tls_context(verify: bool, ca_file: str | None) -> ssl.SSLContext:
    # Reads certificate files: runs in an executor.
    context = ssl.create_default_context(cafile=ca_file)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _smtp_error(err: Exception) -> DeliveryError:
    cause: BaseException | None = err
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return DeliveryError(f"TLS certificate not trusted: {cause}", permanent=True)
        cause = cause.__cause__ or cause.__context__
    if isinstance(err, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in err.recipients]
        transient = any(400 <= code < 500 for code in codes)
        refused = ", ".join(f"{r.recipient} ({r.code})" for r in err.recipients)
        return DeliveryError(
            f"every recipient was refused: {refused}", status=max(codes), permanent=not transient
        )
    if isinstance(err, aiosmtplib.SMTPResponseException):
        return DeliveryError(
            f"SMTP {err.code}: {err.message}", status=err.code, permanent=err.code >= 500
        )
    if isinstance(err, aiosmtplib.SMTPNotSupported):
        return DeliveryError(f"the server cannot do what is configured: {err}", permanent=True)
    return DeliveryError(f"{type(err).__name__}: {err}")


class EmailSender:
    """Sends each notification as one e-mail to every recipient."""

    def __init__(self, hub: Hub, options: Mapping[str, Any]) -> None:
        self._hub = hub
        self._options = options
        self._context: ssl.SSLContext | None = None

    def build(self, notification: Notification) -> EmailMessage:
        """The e-mail for ``notification`` (plain text, plus HTML when ``data.html`` is set)."""
        options = self._options
        message = EmailMessage()
        subject = notification.title or notification.message.splitlines()[0][:_SUBJECT_FROM_MESSAGE]
        message["Subject"] = subject
        message["From"] = email.utils.formataddr(
            (options.get("sender_name", ""), options["sender"])
        )
        message["To"] = ", ".join(options["recipients"])
        message["Date"] = email.utils.formatdate(self._hub.clock.time(), localtime=False)
        message["Message-ID"] = f"<{notification.id}@{options['sender'].split('@', 1)[1]}>"
        message.set_content(notification.message)
        html = notification.data.get("html")
        if isinstance(html, str) and html:
            message.add_alternative(html, subtype="html")
        return message

    async def send(self, notification: Notification) -> int:
        """Send the e-mail; partial recipient refusals are logged, not retried."""
        options = self._options
        encryption = options["encryption"]
        if encryption != "none" and self._context is None:
            self._context = await self._hub.run_in_executor(
                _tls_context, options["verify_ssl"], options.get("ca_file")
            )
        client = aiosmtplib.SMTP(
            hostname=options["host"],
            port=options["port"],
            username=options.get("username"),
            password=options.get("password"),
            use_tls=encryption == "tls",
            start_tls=encryption == "starttls",
            tls_context=self._context,
            timeout=options.get("timeout"),
        )
        try:
            async with client:
                refused, _ = await client.send_message(self.build(notification))
        except aiosmtplib.SMTPException as err:
            raise _smtp_error(err) from None
        except ssl.SSLError as err:
            raise _smtp_error(err) from None
        if refused:
            LOGGER.warning(
                "E-mail %s: recipients refused: %s",
                notification.id,
                ", ".join(f"{r} ({resp.code})" for r, resp in refused.items()),
            )
        return 250


def factory(hub: Hub, options: Mapping[str, Any]) -> EmailSender:
    """Build an e-mail sender."""
    return EmailSender(hub, options)
