"""The example integration, tested with Fieldhub's own pytest fixtures."""

import pytest

from hub.config.errors import ConfigError


async def test_sensor_created_and_unloaded(start_hub):
    hub = await start_hub({"configuration.yaml": "example_sine:\n  name: Test wave\n"})
    state = hub.states.get("sensor.test_wave")
    assert state is not None
    assert -1.0 <= float(state.state) <= 1.0

    await hub.integrations.unload("example_sine")
    assert hub.states.get("sensor.test_wave") is None


async def test_bad_config_names_file_and_line(start_hub):
    with pytest.raises(ConfigError) as err:
        await start_hub({"configuration.yaml": "example_sine:\n  period: never\n"})
    assert err.value.format() == [
        "config0/configuration.yaml:2: example_sine → period: expected a number, got 'never'"
    ]
