"""Key strings of the factory machine integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "factory_machine"
CREDENTIAL_KIND: Final = "factory_ingest"
IDENTIFIER_KIND: Final = "factory_machine"
TOKEN_PREFIX: Final = "fh_dev_"

CONF_SITES: Final = "sites"
CONF_AREAS: Final = "areas"
CONF_MACHINES: Final = "machines"
CONF_NAME: Final = "name"
CONF_TIME_ZONE: Final = "time_zone"
CONF_SENSORS: Final = "sensors"
CONF_UNIT: Final = "unit"
CONF_DEVICE_CLASS: Final = "device_class"
CONF_VALID_RANGE: Final = "valid_range"
CONF_EXPECTED_RANGE: Final = "expected_range"
CONF_BASELINE: Final = "baseline"
CONF_SCHEDULE: Final = "schedule"
CONF_SHIFTS: Final = "shifts"
CONF_BREAKS: Final = "breaks"
CONF_START: Final = "start"
CONF_END: Final = "end"
CONF_WEEKDAYS: Final = "weekdays"
CONF_PLANNED_DOWNTIME: Final = "planned_downtime"
CONF_HOLIDAYS: Final = "holidays"
CONF_IDEAL_CYCLE_TIME: Final = "ideal_cycle_time"
CONF_REPORTING_INTERVAL: Final = "reporting_interval"
CONF_COUNTER_WIDTH: Final = "counter_width"
CONF_LOSS_CLASSES: Final = "loss_classes"
CONF_AVAILABILITY: Final = "availability"
CONF_PERFORMANCE: Final = "performance"
CONF_EXCLUDED: Final = "excluded"
CONF_UNKNOWN_AS: Final = "unknown_as"
CONF_MAX_GAP: Final = "max_gap"
CONF_INGEST: Final = "ingest"
CONF_RATE: Final = "rate"
CONF_BURST: Final = "burst"
CONF_MAX_BATCH: Final = "max_batch"
CONF_MAX_CLOCK_SKEW: Final = "max_clock_skew"
CONF_DEDUPE_SIZE: Final = "dedupe_size"
CONF_FLUSH_INTERVAL: Final = "flush_interval"
CONF_OEE_INTERVAL: Final = "oee_interval"
CONF_ROLLING_WINDOW: Final = "rolling_window"
CONF_REPORTS: Final = "reports"
CONF_SCHEDULE_KIND: Final = "schedule"
CONF_FOLDER: Final = "folder"
CONF_EMAIL_TARGET: Final = "email_target"
CONF_FORMATS: Final = "formats"
CONF_MODBUS: Final = "modbus"
CONF_HOST: Final = "host"
CONF_PORT: Final = "port"
CONF_DEVICE_ID: Final = "device_id"
CONF_INTERVAL: Final = "interval"
CONF_TIMEOUT: Final = "timeout"
CONF_REGISTERS: Final = "registers"
CONF_TARGET: Final = "target"
CONF_REGISTER_TYPE: Final = "register_type"
CONF_ADDRESS: Final = "address"
CONF_DATA_TYPE: Final = "data_type"
CONF_WORD_ORDER: Final = "word_order"
CONF_SCALE: Final = "scale"
CONF_OFFSET: Final = "offset"
CONF_SIMULATE: Final = "simulate"
CONF_ALL: Final = "all"
CONF_BATCH: Final = "batch"

SIM_KEY_LABEL: Final = "simulator"
"""Label of the ingest keys the ``simulate:`` option issues (revoked at unload)."""

FIELD_RUN_STATE: Final = "run_state"
FIELD_REASON: Final = "reason"
FIELD_TOTAL: Final = "total"
FIELD_REJECTS: Final = "rejects"
FIELD_TOTAL_INCREMENT: Final = "total_increment"
FIELD_REJECTS_INCREMENT: Final = "rejects_increment"
RESERVED_FIELDS: Final = frozenset(
    {
        FIELD_RUN_STATE,
        FIELD_REASON,
        FIELD_TOTAL,
        FIELD_REJECTS,
        FIELD_TOTAL_INCREMENT,
        FIELD_REJECTS_INCREMENT,
    }
)

PATH_INGEST: Final = "/api/ingest"
PATH_MACHINES: Final = "/api/factory/machines"
PATH_MACHINE_OEE: Final = "/api/factory/machines/{machine_id:.+}/oee"
PATH_ROLLUP: Final = "/api/factory/oee/rollup"
PATH_REPORT: Final = "/api/factory/reports/{kind}"
PATH_KEYS: Final = "/api/factory/keys"
PATH_KEY: Final = "/api/factory/keys/{key_id}"

REPORT_KINDS: Final = ("weekly", "monthly", "compliance")
REPORT_FORMATS: Final = ("json", "csv", "pdf")
