"""A throwaway PostgreSQL cluster for the tests that need a real server.

Not a test module: test folders import it. ``tests/storage/conftest.py`` shows
the use (re-export the two fixtures)::

    from tests.pg import pg_cluster, pg_url  # noqa: F401  (fixtures)

The cluster is started once per test session in a short temporary folder (the
Unix socket path must stay under ~100 bytes), listens on that socket only (no
TCP), and is stopped and deleted at the end. PostgreSQL refuses to run as root,
so as root the server runs as the ``postgres`` user via ``runuser``. Each test
that asks for ``pg_url`` gets a fresh, empty database.

A missing PostgreSQL is a failure, never a skip: CI must run these tests, and
``make`` installs PostgreSQL (Debian package ``postgresql``).
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_USER = "postgres"
#: Set to a folder holding initdb, pg_ctl and postgres to use another installation.
BINDIR_ENV = "LOKET_PG_BINDIR"
START_TIMEOUT_S = 30


def find_bindir() -> Path | None:
    """PostgreSQL's server programs: $LOKET_PG_BINDIR, Debian's newest, or PATH."""
    override = os.environ.get(BINDIR_ENV)
    candidates = [Path(override)] if override else []
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [p for p in debian.iterdir() if p.name.isdigit()]
        candidates += [p / "bin" for p in sorted(versions, key=lambda p: -int(p.name))]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _free_port() -> int:
    # Only names the socket file (.s.PGSQL.<port>) in our own folder, but a port
    # nobody listens on keeps log messages and `ps` output unambiguous.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgCluster:
    """initdb + pg_ctl start/stop of a private cluster; databases on demand."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="loket-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.user = PG_USER if self.as_root else pwd.getpwuid(os.geteuid()).pw_name
        self._names = itertools.count(1)
        self.running = False

    @property
    def socket_dir(self) -> str:
        return str(self.root)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", PG_USER, "--", *command]
        return subprocess.run(
            command,
            cwd=self.root,  # the server user may not enter the caller's folder
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_S * 2,
            check=False,
        )

    def _check(self, result: subprocess.CompletedProcess[str], what: str) -> None:
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"PostgreSQL {what} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}\n{tail}"
            )

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.root, user=PG_USER, group=PG_USER)
        self._check(
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                self.user,
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ),
            "initdb",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses='' "
            # A throwaway cluster: durability is not what these tests check.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._check(
            self._run(
                "pg_ctl",
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.root / "server.log"),
                "-t",
                str(START_TIMEOUT_S),
                "-w",
                "start",
            ),
            "start",
        )
        self.running = True

    def stop(self) -> None:
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database``: psycopg 3 over the Unix socket."""
        return (
            f"postgresql+psycopg://{self.user}@/{database}?host={self.socket_dir}&port={self.port}"
        )

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=self.socket_dir,
            port=self.port,
            user=self.user,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(sql.encode())

    def create_database(self) -> str:
        """A new empty database; returns its name."""
        name = f"loket_test_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_cluster() -> PgCluster:
    """A running cluster, or a test failure that says what to install."""
    bindir = find_bindir()
    if bindir is None:
        where = "CI" if os.environ.get("CI") else "this machine"
        pytest.fail(
            f"PostgreSQL server programs (initdb, pg_ctl, postgres) not found on {where}: "
            "install the Debian package 'postgresql' (the Makefile does) or set "
            f"{BINDIR_ENV}. The PostgreSQL tests are required, not optional.",
            pytrace=False,
        )
    cluster = PgCluster(bindir)
    atexit.register(cluster.stop)  # also when the session ends abnormally
    try:
        cluster.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        cluster.stop()
        pytest.fail(f"could not start a throwaway PostgreSQL cluster: {exc}", pytrace=False)
    return cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """The URL of a fresh, empty database, dropped after the test."""
    name = pg_cluster.create_database()
    try:
        yield pg_cluster.url(name)
    finally:
        pg_cluster.drop_database(name)
