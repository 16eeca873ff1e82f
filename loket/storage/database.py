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
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

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
    database = parsed.database
    if parsed.query.get("uri") == "true" and database.startswith("file:"):
        # ``sqlite:///file:/data/x.sqlite3?mode=ro&uri=true``: the file is /data/x.sqlite3,
        # never a folder named "file:" beside wherever Loket was started.
        database = database.removeprefix("file:").split("?", 1)[0]
    return Path(database)


def _prepare_sqlite_folder(path: Path) -> None:
    """Refuse early, with a clear message, a folder or file Loket cannot write.

    The folder must be writable even when the file exists: in WAL mode SQLite
    creates ``-wal`` and ``-shm`` files beside the database.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            _("Folder basis data {folder} tidak dapat dibuat: {error}.").format(
                folder=path.parent, error=exc.strerror or exc
            )
        ) from exc
    if path.is_dir():
        raise StorageError(
            _("{path} adalah folder, bukan berkas basis data; sebutkan berkasnya.").format(
                path=path
            )
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(
            _("Berkas basis data {path} hanya dapat dibaca; Loket perlu menulis ke sana.").format(
                path=path
            )
        )
    if not os.access(path.parent, os.W_OK):
        raise StorageError(
            _("Folder basis data {folder} tidak dapat ditulisi.").format(folder=path.parent)
        )


def _written_by_a_newer_loket(cursor: sqlite3.Cursor) -> bool:
    from loket.storage.migrate import KNOWN_REVISIONS  # migrate imports this module

    found = cursor.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if found is None:
        return False
    row = cursor.execute("SELECT version_num FROM alembic_version").fetchone()
    return row is not None and row[0] not in KNOWN_REVISIONS


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's own is deferred).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    # Switching to WAL rewrites the file's header. A database from a newer Loket
    # (a restored backup, say) is about to be refused "untouched": leave it so.
    if str(mode).lower() != "wal" and not _written_by_a_newer_loket(cursor):
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    """BEGIN on the driver's connection: a write takes the database lock at once.

    Issued on sqlite3 itself rather than through ``exec_driver_sql``, which would
    cost a whole statement execution per transaction; a refusal (a lock held past
    the busy timeout) is raised as SQLAlchemy's own error, as that path would.
    """
    statement = (
        "BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITE_OPTION) else "BEGIN"
    )
    try:
        connection.connection.driver_connection.execute(statement)  # type: ignore[union-attr]
    except sqlite3.Error as exc:
        raise DBAPIError.instance(
            statement, (), exc, sqlite3.Error, dialect=connection.dialect
        ) from exc


#: The engines Loket is built and tested for.
SUPPORTED_BACKENDS = frozenset({"sqlite", "postgresql"})


def create_database_engine(url: str) -> Engine:
    """An Engine for ``url`` with Loket's SQLite settings; raises StorageError."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(_("Alamat basis data tidak sah: {url}.").format(url=url)) from exc
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise StorageError(
            _(
                "Loket memakai SQLite (sebuah berkas) atau PostgreSQL "
                "(postgresql://pengguna@server/nama), bukan {scheme}: {url}."
            ).format(scheme=parsed.drivername, url=shown)
        )
    path = _sqlite_path(url)
    if path is not None:
        _prepare_sqlite_folder(path)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(parsed, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    except (NoSuchModuleError, ImportError) as exc:  # a driver Loket does not ship
        raise StorageError(
            _("Penghubung basis data {driver} tidak tersedia; pakai postgresql://…").format(
                driver=parsed.drivername
            )
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


# SQLite result code names (Python 3.11+: ``sqlite_errorname``) and PostgreSQL
# SQLSTATEs, by the kind of problem the person in front of the screen can act on.
_SQLITE_KINDS = (
    ("SQLITE_BUSY", "busy"),
    ("SQLITE_LOCKED", "busy"),
    ("SQLITE_FULL", "full"),
    ("SQLITE_READONLY", "readonly"),
    ("SQLITE_CONSTRAINT_UNIQUE", "duplicate"),
    ("SQLITE_CONSTRAINT_PRIMARYKEY", "duplicate"),
    ("SQLITE_CONSTRAINT_FOREIGNKEY", "missing_reference"),
    ("SQLITE_NOTADB", "corrupt"),
    ("SQLITE_CORRUPT", "corrupt"),
    ("SQLITE_CANTOPEN", "unavailable"),
)
_PG_KINDS = {
    "40P01": "busy",  # deadlock_detected
    "40001": "busy",  # serialization_failure
    "55P03": "busy",  # lock_not_available
    "53100": "full",  # disk_full
    "25006": "readonly",  # read_only_sql_transaction
    "23505": "duplicate",  # unique_violation
    "23503": "missing_reference",  # foreign_key_violation
    "3D000": "unavailable",  # invalid_catalog_name: no such database
}
# What the drivers say when they give no code (older drivers, wrapped errors).
_TEXT_KINDS = (
    (("locked", "busy", "deadlock"), "busy"),
    (("disk is full", "no space"), "full"),
    (("readonly", "read-only"), "readonly"),
    (("unique constraint", "duplicate key"), "duplicate"),
    (("foreign key constraint",), "missing_reference"),
    (("not a database", "malformed"), "corrupt"),
    (("unable to open", "connection", "could not"), "unavailable"),
)


def _error_kind(original: BaseException) -> str | None:
    name = getattr(original, "sqlite_errorname", None)
    if isinstance(name, str):
        for prefix, kind in _SQLITE_KINDS:
            if name.startswith(prefix):
                return kind
    state = getattr(original, "sqlstate", None)
    if isinstance(state, str):
        if state in _PG_KINDS:
            return _PG_KINDS[state]
        if state.startswith("08"):  # connection_exception
            return "unavailable"
    message = str(original).lower()
    for needles, kind in _TEXT_KINDS:
        if any(needle in message for needle in needles):
            return kind
    return None


def translate_error(exc: Exception) -> StorageError:
    """Turn a driver error into a message a clerk or the IT person can act on."""
    original = getattr(exc, "orig", None) or exc
    detail = str(original).strip()
    kind = _error_kind(original)
    if kind == "busy":
        return StorageError(
            _("Basis data sedang dipakai proses lain dan terkunci; coba lagi sebentar.")
        )
    if kind == "full":
        return StorageError(_("Disk penuh: perubahan tidak disimpan. Kosongkan ruang disk."))
    if kind == "readonly":
        return StorageError(_("Basis data hanya dapat dibaca: perubahan tidak disimpan."))
    if kind == "duplicate":
        return StorageError(
            _(
                "Data ganda: data yang sama sudah tersimpan; perubahan tidak disimpan ({error})."
            ).format(error=detail)
        )
    if kind == "missing_reference":
        return StorageError(
            _("Data rujukan tidak ditemukan; perubahan tidak disimpan ({error}).").format(
                error=detail
            )
        )
    if kind == "corrupt":
        return StorageError(
            _("Berkas basis data rusak atau bukan basis data Loket: {error}").format(error=detail)
        )
    if kind == "unavailable":
        return StorageError(_("Basis data tidak dapat dibuka: {error}").format(error=detail))
    return StorageError(_("Kesalahan basis data: {error}").format(error=detail))


class Database:
    """One database, opened once per process; hands out read and write units."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_database_engine(url)
        # Shares the engine's pool; its connections carry the write option from the
        # start, instead of a copy of each connection made per write.
        self._writer = self.engine.execution_options(**{WRITE_OPTION: True})

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
            with self._writer.connect() as connection, connection.begin():
                yield connection
        except (OperationalError, DBAPIError) as exc:
            raise translate_error(exc) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction that sees a single snapshot throughout.

        SQLite's read transactions do that by themselves; PostgreSQL needs
        REPEATABLE READ, or a dossier read in several statements could mix rows
        from before and after another user's commit (and the audit check could
        see a head row newer than the entries it walked).
        """
        try:
            with self.engine.connect() as raw:
                connection = raw
                if not self.is_sqlite:
                    connection = raw.execution_options(isolation_level="REPEATABLE READ")
                with connection.begin():
                    yield connection
        except (OperationalError, DBAPIError) as exc:
            raise translate_error(exc) from exc

    def ping(self) -> None:
        with self.read() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
