"""Opening the database: the embedded SQLite default or a PostgreSQL server.

SQLite runs in WAL mode with ``synchronous=FULL`` (a committed dossier
survives a power cut), foreign keys on, and ``BEGIN IMMEDIATE`` for writes, so
two writers queue at the start of a transaction instead of failing half-way.
Every environment problem (unwritable folder, locked or full disk, a database
newer than this program) is raised as a :class:`StorageError` with a message
for the person in front of the screen; the UI decides how to show it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from loket.domain.i18n import _

ENV_URL = "LOKET_DATABASE_URL"
DB_FILE_NAME = "loket.sqlite3"
WRITE_OPTION = "loket_write"
BUSY_TIMEOUT_MS = 10_000


class StorageError(RuntimeError):
    """A database problem the user can act on; ``str()`` is the message to show."""


class DatabaseTooNew(StorageError):
    pass


class DatabaseNotInitialised(StorageError):
    pass


def default_data_dir() -> Path:
    """The per-user data folder (``~/.local/share/Loket``, ``%LOCALAPPDATA%\\Loket``)."""
    override = os.environ.get("LOKET_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("Loket", appauthor=False))


def resolve_url(url: str | None = None, data_dir: Path | None = None) -> str:
    """``--db`` beats ``LOKET_DATABASE_URL`` beats SQLite in the user's data folder."""
    chosen = url or os.environ.get(ENV_URL)
    if chosen:
        if "://" not in chosen:  # a bare path means an SQLite file
            return f"sqlite:///{Path(chosen).expanduser().resolve()}"
        return chosen
    folder = data_dir or default_data_dir()
    return f"sqlite:///{folder / DB_FILE_NAME}"


def describe_url(url: str) -> str:
    """The URL without its password, for status output and messages."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _prepare_sqlite_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            _("Folder basis data {folder} tidak dapat dibuat: {error}.").format(
                folder=path.parent, error=exc.strerror or exc
            )
        ) from exc
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(
            _("Berkas basis data {path} hanya dapat dibaca; Loket perlu menulis ke sana.").format(
                path=path
            )
        )
    if not path.exists() and not os.access(path.parent, os.W_OK):
        raise StorageError(
            _("Folder basis data {folder} tidak dapat ditulisi.").format(folder=path.parent)
        )


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's own is deferred).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def create_database_engine(url: str) -> Engine:
    """An Engine for ``url`` with Loket's SQLite settings; raises StorageError."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(_("Alamat basis data tidak sah: {url}.").format(url=url)) from exc
    path = _sqlite_path(url)
    if path is not None:
        _prepare_sqlite_folder(path)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def translate_error(exc: Exception) -> StorageError:
    """Turn a driver error into a message a clerk or the IT person can act on."""
    original = getattr(exc, "orig", exc)
    message = str(original).lower()
    if "locked" in message or "busy" in message:
        return StorageError(
            _("Basis data sedang dipakai proses lain dan terkunci; coba lagi sebentar.")
        )
    if "disk is full" in message or "no space" in message or "database or disk is full" in message:
        return StorageError(_("Disk penuh: perubahan tidak disimpan. Kosongkan ruang disk."))
    if "readonly" in message or "read-only" in message:
        return StorageError(_("Basis data hanya dapat dibaca: perubahan tidak disimpan."))
    if "unable to open" in message or "connection" in message or "could not" in message:
        return StorageError(
            _("Basis data tidak dapat dibuka: {error}").format(error=str(original).strip())
        )
    return StorageError(_("Kesalahan basis data: {error}").format(error=str(original).strip()))


class Database:
    """One database, opened once per process; hands out read and write units."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_database_engine(url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        return _sqlite_path(self.url)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed whole at the end, or not at all."""
        try:
            with self.engine.connect() as raw:
                connection = raw.execution_options(**{WRITE_OPTION: True})
                with connection.begin():
                    yield connection
        except (OperationalError, DBAPIError) as exc:
            raise translate_error(exc) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as connection, connection.begin():
                yield connection
        except (OperationalError, DBAPIError) as exc:
            raise translate_error(exc) from exc

    def ping(self) -> None:
        with self.read() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
