"""The ``hub`` command as users and scripts run it (real subprocesses)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hub.testing.network import free_port

HUB = [sys.executable, "-m", "hub.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HUB, *args], capture_output=True, text=True, timeout=120, cwd=cwd, check=False
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("fieldhub ")


def test_check_config_valid(tmp_path: Path) -> None:
    (tmp_path / "configuration.yaml").write_text("hub:\n  name: Test\nexample_sine:\n")
    result = run("check-config", "-c", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stdout


def test_check_config_reports_every_error(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "configuration.yaml").write_text(
        "hub:\n  unit_system: kelvin\nexample_sin:\n  period: 5\n"
    )
    result = run("check-config", "-c", str(config))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert (
        "config/configuration.yaml:3: unknown domain 'example_sin' (did you mean 'example_sine'?)"
        in lines
    )
    assert any(line.startswith("config/configuration.yaml:2: hub → unit_system:") for line in lines)


def test_plugins_lists_entry_point_plugins() -> None:
    result = run("plugins", "--json")
    assert result.returncode == 0, result.stderr
    plugins = {p["name"]: p for p in json.loads(result.stdout)}
    assert plugins["example_sine"]["version"] == "1.0.0"
    assert "fieldhub_setup" in plugins["example_sine"]["hooks"]


def test_registry_orphans(tmp_path: Path) -> None:
    (tmp_path / "configuration.yaml").write_text("hub:\n")
    result = run("registry", "orphans", "-c", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "No orphaned registry entries." in result.stdout


def test_run_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    (tmp_path / "configuration.yaml").write_text(
        "hub:\n  name: Signal test\nexample_sine:\n  interval: 0.2\n"
        f"http:\n  server_host: 127.0.0.1\n  server_port: {free_port()}\n"
    )
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        [*HUB, "run", "-c", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        output = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            output.append(line)
            if "is running" in line or proc.poll() is not None:
                break
        if not any("is running" in line for line in output):
            proc.kill()
            proc.communicate(timeout=30)
            pytest.fail("".join(output))
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, "".join(output) + rest
    assert "Stopping" in rest


def test_run_refuses_bad_config_before_starting(tmp_path: Path) -> None:
    (tmp_path / "configuration.yaml").write_text("hub:\n  name: [unclosed\n")
    result = run("run", "-c", str(tmp_path))
    assert result.returncode == 1
    assert "configuration.yaml:2" in result.stderr
    assert not (tmp_path / "fieldhub.db").exists()


@pytest.mark.parametrize("command", [["user", "--help"], ["token", "--help"]])
def test_user_commands_are_present(command: list[str]) -> None:
    result = run(*command)
    assert result.returncode == 0, result.stderr


def test_reload_talks_to_the_running_hub(tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "configuration.yaml").write_text(
        f"example_sine:\n  interval: 0.5\nhttp:\n  server_host: 127.0.0.1\n  server_port: {port}\n"
    )
    added = subprocess.run(
        [*HUB, "user", "add", "admin", "--role", "admin", "-c", str(tmp_path)],
        input="a long demo password\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    created = run("token", "create", "--user", "admin", "--name", "cli", "-c", str(tmp_path))
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    url = f"http://127.0.0.1:{port}"
    with subprocess.Popen(
        [*HUB, "run", "-c", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as proc:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if "is running" in line or proc.poll() is not None:
                break
        try:
            ok = run("reload", "example_sine", "--url", url, "--token", token)
            assert ok.returncode == 0, ok.stderr
            assert "hub.reload done" in ok.stdout
            unknown = run("reload", "no_such_domain", "--url", url, "--token", token)
            assert unknown.returncode == 1
            assert "no_such_domain" in unknown.stderr
            no_token = subprocess.run(
                [*HUB, "reload", "example_sine", "--url", url],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
                env={k: v for k, v in os.environ.items() if k != "FIELDHUB_TOKEN"},
            )
            assert no_token.returncode == 2
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=60)
    assert proc.returncode == 0
