"""SMS through Twilio's Messages API (or any gateway that speaks its shape)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.api import Hub

from ..model import DeliveryError, Notification
from ..redact import LOGGER
from ..schema import SMS_MAX_LENGTH
from .http_client import HTTP_SESSION, basic_auth, request
from .progress import Progress, split_text


class TwilioSender:
    """One form POST per recipient and message part; parts already sent are not resent."""

    def __init__(self, hub: Hub, options: Mapping[str, Any]) -> None:
        self._hub = hub
        self._options = options
        self._progress = Progress()
        sid = options["account_sid"]
        self._url = f"{options['api_url'].rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
        self._auth = {"Authorization": basic_auth(sid, options["auth_token"])}

    def parts(self, notification: Notification) -> list[str]:
        """The SMS bodies for ``notification`` (title on the first line)."""
        text = notification.message
        if notification.title:
            text = f"{notification.title}\n{text}"
        if len(text) > SMS_MAX_LENGTH and not self._options["split_long"]:
            return [text[: SMS_MAX_LENGTH - 1] + "…"]
        return split_text(text, SMS_MAX_LENGTH)

    async def send(self, notification: Notification) -> int:
        """Send every part to every recipient."""
        options = self._options
        session = self._hub.data[HTTP_SESSION]
        status = 0
        for recipient in options["recipients"]:
            for index, body in enumerate(self.parts(notification)):
                key = f"{recipient}#{index}"
                if self._progress.done(notification.id, key):
                    continue
                form = {"To": recipient, "Body": body}
                if "from_number" in options:
                    form["From"] = options["from_number"]
                if "messaging_service_sid" in options:
                    form["MessagingServiceSid"] = options["messaging_service_sid"]
                if "status_callback" in options:
                    form["StatusCallback"] = options["status_callback"]
                response = await request(session, "POST", self._url, data=form, headers=self._auth)
                reply = response.json() or {}
                if reply.get("status") == "failed" or reply.get("error_code"):
                    raise DeliveryError(
                        f"gateway refused the message to {recipient}: "
                        f"{reply.get('error_code')} {reply.get('error_message') or ''}".strip(),
                        status=response.status,
                        permanent=True,
                    )
                LOGGER.debug(
                    "SMS %s part %d to %s: %s",
                    notification.id,
                    index + 1,
                    recipient,
                    reply.get("sid"),
                )
                self._progress.mark(notification.id, key)
                status = response.status
        self._progress.finish(notification.id)
        return status


def factory(hub: Hub, options: Mapping[str, Any]) -> TwilioSender:
    """Build a Twilio SMS sender."""
    return TwilioSender(hub, options)
