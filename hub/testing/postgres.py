"""A real PostgreSQL server for tests, started by the fixture itself.

``postgres_server`` (session scope) runs ``initdb`` and ``pg_ctl`` on a free port in a
temporary directory (as the unprivileged ``postgres`` or ``nobody`` user when the tests run
as root) and stops it at the end. ``postgres_url`` gives each test a fresh, empty database.
Tests using them are skipped, with the reason, only where the server binaries are missing.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hub.testing.network import free_port

_SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin")


def find_binaries() -> Path | None:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``, if installed."""
    for pattern in _SEARCH:
        for directory in sorted(glob.glob(pattern), reverse=True):
            path = Path(directory)
            if all((path / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
                return path
    return None


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root and neither 'postgres' nor 'nobody' exists")


@dataclass
class PostgresServer:
    """A running server: connect as ``user`` on ``127.0.0.1:port``."""

    bindir: Path
    datadir: Path
    port: int
    user: str
    run_as: str | None
    _counter: int = 0

    def command(self, *args: str | Path) -> list[str]:
        """``args`` as a command line, run as the unprivileged user when needed."""
        command = [str(arg) for arg in args]
        return ["runuser", "-u", self.run_as, "--", *command] if self.run_as else command

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL of ``database``."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """Create an empty database; return its URL."""
        import psycopg

        self._counter += 1
        name = f"test_{os.getpid()}_{self._counter}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (fast shutdown)."""
        subprocess.run(
            self.command(self.bindir / "pg_ctl", "-D", str(self.datadir), "-m", "fast", "stop"),
            check=False,
            capture_output=True,
        )


def start_postgres(base: Path) -> PostgresServer:
    """initdb + start a server under ``base`` (blocking; returns once it accepts clients)."""
    bindir = find_binaries()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    run_as = _run_as()
    datadir = base / "data"
    datadir.mkdir(parents=True)
    if run_as is not None:
        account = pwd.getpwnam(run_as)
        for path in (base, datadir):
            os.chown(path, account.pw_uid, account.pw_gid)
    server = PostgresServer(bindir, datadir, free_port(), "fieldhub", run_as)
    subprocess.run(
        server.command(
            bindir / "initdb",
            "-D",
            str(datadir),
            "-U",
            "fieldhub",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {server.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        server.command(
            bindir / "pg_ctl",
            "-D",
            str(datadir),
            "-o",
            options,
            "-l",
            str(base / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        ),
        check=True,
        capture_output=True,
    )
    return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole test session (skipped if not installed)."""
    if find_binaries() is None:
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser to start PostgreSQL unprivileged")
    base = Path(tempfile.mkdtemp(prefix="fieldhub-pg-"))
    server = start_postgres(base)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a fresh, empty database on the session's server."""
    return postgres_server.create_database()
