"""Writing configuration back as YAML."""

from __future__ import annotations

from pathlib import Path

from hub.config.yaml_dumper import dump_yaml
from hub.config.yaml_loader import load_yaml_text


def test_keeps_key_order_and_block_style() -> None:
    data = {"zeta": 1, "alpha": [{"id": "low", "for": None}], "text": "line one\nline two\n"}
    assert dump_yaml(data) == (
        "zeta: 1\nalpha:\n- id: low\n  for: null\ntext: |\n  line one\n  line two\n"
    )


def test_round_trip_keeps_secret_and_env_var_tags(tmp_path: Path) -> None:
    (tmp_path / "secrets.yaml").write_text("token: hunter2\n", encoding="utf-8")
    text = "notify:\n  token: !secret token\n  hosts:\n  - !env_var SMTP_HOST\n  - backup\n"
    data = load_yaml_text(text, tmp_path / "automations.yaml", env={"SMTP_HOST": "mail"})
    assert data == {"notify": {"token": "hunter2", "hosts": ["mail", "backup"]}}
    assert dump_yaml(data) == text
