"""The ``mqtt:`` section: defaults, refusals with their reasons."""

from __future__ import annotations

import pytest
import voluptuous as vol

from integrations.mqtt.schema import CONFIG_SCHEMA


def test_empty_section_means_builtin_broker_with_discovery() -> None:
    config = CONFIG_SCHEMA({})
    assert "broker" not in config
    assert config["builtin_broker"] == {"host": "0.0.0.0", "port": 1883}
    assert config["discovery"] is True
    assert config["discovery_prefix"] == "homeassistant"
    assert config["birth_message"]["payload"] == "online"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"shared_subscription_group": "hubs"}, "shared subscriptions need MQTT 5"),
        ({"client_cert": "c.pem"}, "client_cert and client_key go together"),
        ({"sensor": [{"state_topic": "a/#/b"}]}, "'#' must be a whole, final level"),
        ({"switch": [{"command_topic": "a/+"}]}, "wildcards are not allowed"),
        ({"sensor": [{"state_topic": "a", "bogus": 1}]}, "extra keys not allowed"),
        ({"button": [{"name": "x"}]}, "required key 'command_topic'"),
        ({"number": [{"min": 5, "max": 1}]}, "min must be below max"),
    ],
)
def test_refusals(section: dict[str, object], message: str) -> None:
    with pytest.raises(vol.Invalid) as err:
        CONFIG_SCHEMA(section)
    assert message in str(err.value)
