"""A throwaway PostgreSQL cluster on a temporary directory, for tests and benchmarks.

As pytest-postgresql does: ``initdb`` into a fresh directory, ``pg_ctl start`` listening on a
Unix socket only (no TCP port, nothing reachable from outside), trust authentication for the
superuser ``postgres``, and ``pg_ctl stop`` plus the directory removed at the end. The server
binaries are found with ``pg_config --bindir`` or under ``/usr/lib/postgresql/*/bin`` (Debian's
``postgresql`` package). Run as root, the server runs as the ``postgres`` system user, since
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "postgres"


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine (the message says what to install)."""


def server_bindir() -> Path:
    """The directory of ``initdb`` and ``pg_ctl``; raise `ClusterUnavailable` when there is none."""
    candidates: list[Path] = []
    if shutil.which("pg_config"):
        try:
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout
            candidates.append(Path(out.strip()))
        except (OSError, subprocess.CalledProcessError):
            pass
    candidates.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name, reverse=True))
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    raise ClusterUnavailable("No PostgreSQL server found: install it (Debian: apt-get install postgresql).")


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SUPERUSER, "--", *command]


@dataclass
class Cluster:
    """A running throwaway cluster; `url` gives a SQLAlchemy URL for one of its databases."""

    directory: Path
    bindir: Path
    owner: tuple[int, int] | None = None
    databases: list[str] = field(default_factory=list)

    @property
    def socket_dir(self) -> Path:
        return self.directory / "socket"

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql+psycopg://{user}@/{database}?host={self.socket_dir}"

    def conninfo(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"host={self.socket_dir} dbname={database} user={user}"

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = _as_server_user([str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), *args])
        return subprocess.run(command, capture_output=True, text=True, check=check)

    def start(self) -> None:
        options = f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        self._pg_ctl("-w", "-t", "60", "-l", str(self.directory / "server.log"), "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-w", "-m", mode, "stop", check=False)

    def restart(self) -> None:
        """Stop (closing every client connection) and start again, as a server restart does."""
        self.stop()
        self.start()

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


def start_cluster(parent: Path | None = None) -> Cluster:
    """initdb and start a cluster in a new temporary directory (a short path: socket paths are limited)."""
    bindir = server_bindir()
    directory = Path(tempfile.mkdtemp(prefix="xref-pg-", dir=parent))
    (directory / "socket").mkdir()
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", f"{SUPERUSER}:", str(directory)], check=True)
        directory.chmod(0o755)
    cluster = Cluster(directory=directory, bindir=bindir)
    initdb = _as_server_user(
        [
            str(bindir / "initdb"),
            "-D",
            str(cluster.data_dir),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ]
    )
    subprocess.run(initdb, capture_output=True, text=True, check=True)
    cluster.start()
    deadline = time.monotonic() + 30
    while not any(cluster.socket_dir.glob(".s.PGSQL.*")):
        if time.monotonic() > deadline:
            raise ClusterUnavailable(f"The test server did not start: see {directory / 'server.log'}")
        time.sleep(0.05)
    return cluster
