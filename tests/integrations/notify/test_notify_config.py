"""Configuration errors point at file:line; unknown targets are service errors."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest
import voluptuous as vol
from notify_fakes import load_notify_config

from hub.api import ConfigError, Hub, ServiceNotFound, ServiceValidationError, hookimpl
from integrations.notify.model import Notification


def errors(config_dir: Path, yaml_text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_notify_config(config_dir, yaml_text)
    return caught.value.format()


@pytest.mark.parametrize(
    ("target", "line", "expected"),
    [
        ("platform: webhook\n      url: not-a-url", 5, "targets → 0 → url: expected a URL"),
        (
            "platform: email\n      host: smtp\n      sender: hub@x.example\n"
            "      recipients: [ops@x.example, not-an-address]",
            7,
            "targets → 0 → recipients → 1: expected an e-mail address",
        ),
        (
            f"platform: sms_twilio\n      account_sid: AC{'0' * 32}\n      auth_token: t\n"
            "      recipients: ['0151 1234']",
            7,
            "recipients → 0: expected a phone number in E.164 form",
        ),
        ("platform: webhook\n      url: http://x\n      secret: nope", 6, "starting with 'whsec_'"),
        ("platform: ntfy\n      topic: t\n      tokn: x", 6, "did you mean 'token'"),
    ],
)
def test_bad_targets_are_reported_with_file_and_line(
    config_dir: Path, target: str, line: int, expected: str
) -> None:
    text = f"notify:\n  targets:\n    - name: bad\n      {target}\n"
    [message] = errors(config_dir, text)
    assert message.startswith(f"config/configuration.yaml:{line}: notify → ")
    assert expected in message


def test_routes_must_name_configured_targets(config_dir: Path) -> None:
    text = (
        "notify:\n  targets:\n    - {name: mail, platform: gotify, url: 'http://g', token: t}\n"
        "  routes:\n    - severity: critical\n      targets: [mail, mial_2]\n"
    )
    [message] = errors(config_dir, text)
    assert message.startswith("config/configuration.yaml:6: notify → routes → 0 → targets → 1")
    assert "no target named 'mial_2'" in message


def test_duplicate_target_names(config_dir: Path) -> None:
    text = (
        "notify:\n  targets:\n    - {name: a, platform: persistent}\n"
        "    - {name: a, platform: persistent}\n"
    )
    [message] = errors(config_dir, text)
    assert "config/configuration.yaml:4: notify → targets → 1 → name" in message
    assert "used twice" in message


def test_secrets_never_appear_in_config_errors(config_dir: Path) -> None:
    (config_dir / "secrets.yaml").write_text("hook: not-a-whsec-secret-value\n")
    text = (
        "notify:\n  targets:\n"
        "    - {name: h, platform: webhook, url: 'http://x', secret: !secret hook}\n"
    )
    [message] = errors(config_dir, text)
    assert "not-a-whsec-secret-value" not in message


async def test_unknown_target_is_a_service_error(hub: Hub, setup_notify: Any) -> None:
    await setup_notify("notify:\n  targets: []\n")
    with pytest.raises(ServiceNotFound):
        await hub.services.call("notify", "nobody", {"message": "hi"})
    with pytest.raises(ServiceValidationError, match="unknown notify target 'nobody'"):
        await hub.services.call("notify", "send", {"target": ["nobody"], "message": "hi"})
    with pytest.raises(ServiceValidationError, match="template error"):
        await hub.services.call("notify", "persistent", {"message": "{{ missing.value }}"})


class Siren:
    """A notify platform registered by another integration."""

    sent: ClassVar[list[Notification]] = []

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.options = options

    async def send(self, notification: Notification) -> None:
        Siren.sent.append(notification)


class SirenPlugin:
    """Another integration's plugin object."""

    @hookimpl
    def fieldhub_register_notify_platforms(self, register: Any) -> None:
        register(
            "siren",
            vol.Schema({vol.Required("zone"): vol.In(["north", "south"])}),
            lambda hub, options: Siren(options),
        )


def siren_plugin() -> SirenPlugin:
    return SirenPlugin()


async def test_platform_from_another_integration(
    hub: Hub, setup_notify: Any, register_plugin: Any
) -> None:
    register_plugin(siren_plugin(), {"domain": "siren", "name": "Siren", "version": "1"})
    runtime = await setup_notify(
        "notify:\n  targets:\n    - name: yard\n      platform: siren\n      zone: north\n"
    )
    await hub.services.call("notify", "yard", {"message": "evacuate"})
    await runtime.notifier.wait_idle()
    assert [n.message for n in Siren.sent] == ["evacuate"]


async def test_bad_options_of_another_platform_fail_setup_with_a_location(
    hub: Hub, setup_notify: Any, register_plugin: Any
) -> None:
    register_plugin(siren_plugin(), {"domain": "siren", "name": "Siren", "version": "1"})
    with pytest.raises(AssertionError):
        await setup_notify(
            "notify:\n  targets:\n    - name: yard\n      platform: siren\n      zone: west\n"
        )
    status = hub.integrations.status["notify"]
    assert status.error is not None
    assert "configuration.yaml:5: notify → targets → 0 → zone" in status.error
