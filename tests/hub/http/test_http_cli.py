"""``hub user …`` and ``hub token …`` on the configuration directory's database."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from hub.cli import main
from hub.testing.http import HubClient


def _run(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def test_user_and_token_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = str(tmp_path / "config")
    assert (
        _run(
            monkeypatch,
            ["user", "add", "alice", "--role", "admin", "--site", "north", "-c", cfg],
            "a long password\n",
        )
        == 0
    )
    assert (
        _run(
            monkeypatch,
            ["user", "add", "alice", "--role", "viewer", "-c", cfg],
            "a long password\n",
        )
        == 1
    )
    assert _run(monkeypatch, ["user", "add", "bob", "--role", "viewer", "-c", cfg], "short\n") == 1
    capsys.readouterr()
    assert _run(monkeypatch, ["user", "list", "-c", cfg]) == 0
    listing = capsys.readouterr().out
    assert "alice\tadmin\tsites=north" in listing
    assert "bob" not in listing

    assert _run(monkeypatch, ["token", "create", "--user", "alice", "--name", "ci", "-c", cfg]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("fhl_")
    assert (
        _run(monkeypatch, ["token", "create", "--user", "nobody", "--name", "ci", "-c", cfg]) == 1
    )
    assert _run(monkeypatch, ["token", "revoke", "--user", "alice", "--name", "ci", "-c", cfg]) == 0
    assert _run(monkeypatch, ["token", "revoke", "--user", "alice", "--name", "ci", "-c", cfg]) == 1
    assert _run(monkeypatch, ["user", "remove", "alice", "-c", cfg]) == 0
    assert _run(monkeypatch, ["user", "remove", "alice", "-c", cfg]) == 1


async def test_cli_token_works_on_running_hub(
    hub_client: HubClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = str(hub_client.hub.config_dir)
    loop = asyncio.get_running_loop()
    monkeypatch.setattr("sys.stdin", io.StringIO("operator password\n"))
    assert (
        await loop.run_in_executor(
            None, main, ["user", "add", "oscar", "--role", "operator", "-c", cfg]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        await loop.run_in_executor(
            None, main, ["token", "create", "--user", "oscar", "--name", "script", "-c", cfg]
        )
        == 0
    )
    token = capsys.readouterr().out.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    me = await hub_client.request("GET", "/api/auth/me", role=None, headers=headers)
    assert (me.status, me.data["role"]) == (200, "operator")
    login = await hub_client.request(
        "POST",
        "/api/auth/login",
        role=None,
        json={"username": "oscar", "password": "operator password"},
    )
    assert login.status == 200
    assert (
        await loop.run_in_executor(
            None, main, ["token", "revoke", "--user", "oscar", "--name", "script", "-c", cfg]
        )
        == 0
    )
    after = await hub_client.request("GET", "/api/auth/me", role=None, headers=headers)
    assert after.status == 401
