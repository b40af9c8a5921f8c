"""The factory_machine: schema and the machine registry built from it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import voluptuous as vol

from integrations.factory_machine.registry import FactoryRegistry
from integrations.factory_machine.schema import CONFIG_SCHEMA

SECTION = {
    "loss_classes": {"performance": [40_000]},
    "sites": {
        "plant1": {
            "time_zone": "Europe/Berlin",
            "areas": {
                "press": {
                    "machines": {
                        "p1": {
                            "ideal_cycle_time": "00:00:30",
                            "sensors": [{"name": "temp", "expected_range": {"max": 80}}],
                            "schedule": {
                                "shifts": [
                                    {
                                        "name": "early",
                                        "start": "06:00",
                                        "end": "14:00",
                                        "weekdays": ["mon", "fri"],
                                        "breaks": [
                                            {"name": "lunch", "start": "10:00", "end": "10:30"}
                                        ],
                                    }
                                ],
                                "planned_downtime": [
                                    {
                                        "name": "service",
                                        "start": "2025-06-02 06:00",
                                        "end": "2025-06-02 08:00",
                                    }
                                ],
                            },
                        }
                    }
                }
            },
        }
    },
}


def test_defaults() -> None:
    config = CONFIG_SCHEMA({})
    assert config["ingest"]["rate"] == 200.0 and config["reports"]["formats"] == ["pdf", "csv"]


def test_registry_from_config() -> None:
    registry = FactoryRegistry.from_config(CONFIG_SCHEMA(SECTION))
    machine = registry.get("plant1/press/p1")
    assert machine is not None
    assert machine.oee.ideal_cycle.default == timedelta(seconds=30)
    assert machine.time_zone.key == "Europe/Berlin"
    assert machine.calendar is not None and machine.calendar.extra_stops[0].label == "service"
    assert machine.oee.policy.classify(40_000).value == "performance"
    assert machine.sensor_by_name["temp"].expected(81.0) is False
    assert registry.machines(sites=["other"]) == []


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"sensors": [{"name": "total"}]}, "reserved"),
        ({"sensors": [{"name": "a"}, {"name": "a"}]}, "twice"),
        ({"sensors": [{"name": "a", "valid_range": [5, 1]}]}, "above the high end"),
        (
            {"modbus": {"host": "plc", "registers": [{"target": "sensor:nope", "address": 0}]}},
            "no sensor named",
        ),
        (
            {
                "modbus": {
                    "host": "plc",
                    "registers": [{"target": "total", "address": 0, "data_type": "int8"}],
                }
            },
            "data_type",
        ),
        ({"counter_width": 12}, "counter_width"),
    ],
)
def test_invalid_machines(patch: dict[str, object], message: str) -> None:
    section = {"sites": {"s": {"areas": {"a": {"machines": {"m": patch}}}}}}
    with pytest.raises(vol.Invalid) as err:
        CONFIG_SCHEMA(section)
    assert message in str(err.value) or message in str(err.value.path)
