"""Driver errors become messages a clerk or the IT person can act on, in Indonesian."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg.errors
import pytest
from sqlalchemy import Connection, text

from loket.storage.database import (
    Database,
    StorageError,
    describe_url,
    resolve_url,
    translate_error,
)
from loket.storage.store import Conflict, Storage, UserRecord
from tests.storage.support import T0

LOCKED = "Basis data sedang dipakai proses lain dan terkunci; coba lagi sebentar."
FULL = "Disk penuh: perubahan tidak disimpan. Kosongkan ruang disk."
READ_ONLY = "Basis data hanya dapat dibaca: perubahan tidak disimpan."


def insert_setting(connection: Connection, key: str = "k") -> None:
    connection.execute(text("INSERT INTO settings (key, value) VALUES (:k, '1')"), {"k": key})


def fails_with(database: Database, work: Callable[[Connection], object]) -> str:
    with pytest.raises(StorageError) as refused, database.write() as connection:
        work(connection)
    return str(refused.value)


# --- real errors from a real SQLite file ---------------------------------------------------


def test_a_duplicate_is_named_as_such(database: Database) -> None:
    with database.write() as connection:
        insert_setting(connection)
    message = fails_with(database, insert_setting)
    assert message.startswith(
        "Data ganda: data yang sama sudah tersimpan; perubahan tidak disimpan"
    )
    assert "settings.key" in message  # which data, for the IT person
    with database.read() as connection:
        assert connection.execute(text("SELECT count(*) FROM settings")).scalar() == 1


def test_a_full_disk_is_named_as_such(database: Database) -> None:
    def fill(connection: Connection) -> None:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")  # this connection's disk
        connection.execute(
            text("INSERT INTO settings (key, value) VALUES ('big', :v)"), {"v": "x" * 200_000}
        )

    assert fails_with(database, fill) == FULL


def test_a_read_only_connection_is_named_as_such(database: Database) -> None:
    def write_read_only(connection: Connection) -> None:
        connection.exec_driver_sql("PRAGMA query_only = ON")
        insert_setting(connection)

    assert fails_with(database, write_read_only) == READ_ONLY


def test_a_locked_database_is_named_as_such(database: Database) -> None:
    path = database.sqlite_path
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)
    waiter = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError) as busy:
            waiter.execute("BEGIN IMMEDIATE")
        assert str(translate_error(busy.value)) == LOCKED
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        waiter.close()


def test_other_errors_keep_the_drivers_words(database: Database) -> None:
    message = fails_with(database, lambda c: c.execute(text("SELECT * FROM no_such_table")))
    assert message == "Kesalahan basis data: no such table: no_such_table"


def test_store_conflicts_are_storage_errors_with_their_own_message(database: Database) -> None:
    user = UserRecord("u1", "siti", "Siti", "front_office", "", "hash", True)
    storage = Storage(database)
    with storage.writing() as store:
        store.add_user(user, T0)
    twin = UserRecord("u2", "siti", "Siti Lain", "admin", "", "h", True)
    with pytest.raises(Conflict, match="Nama pengguna siti sudah dipakai"), storage.writing() as s:
        s.add_user(twin, T0)
    with storage.reading() as store:
        assert [u.id for u in store.users()] == ["u1"]


# --- PostgreSQL's SQLSTATEs (the real psycopg exception classes) -----------------------------


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (psycopg.errors.DeadlockDetected("deadlock detected"), LOCKED),
        (psycopg.errors.SerializationFailure("could not serialize access"), LOCKED),
        (psycopg.errors.LockNotAvailable("could not obtain lock on row"), LOCKED),
        (psycopg.errors.DiskFull("could not extend file"), FULL),
        (psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT"), READ_ONLY),
        (
            psycopg.errors.UniqueViolation('duplicate key value violates "uq_dossiers_number"'),
            "Data ganda: data yang sama sudah tersimpan; perubahan tidak disimpan "
            '(duplicate key value violates "uq_dossiers_number").',
        ),
        (
            psycopg.errors.ForeignKeyViolation("insert violates foreign key"),
            "Data rujukan tidak ditemukan; perubahan tidak disimpan (insert violates foreign key).",
        ),
        (
            psycopg.errors.ConnectionFailure("server closed the connection"),
            "Basis data tidak dapat dibuka: server closed the connection",
        ),
        (
            psycopg.errors.InvalidCatalogName('database "loket" does not exist'),
            'Basis data tidak dapat dibuka: database "loket" does not exist',
        ),
    ],
)
def test_postgresql_errors_by_sqlstate(error: Exception, expected: str) -> None:
    assert str(translate_error(error)) == expected


# --- drivers that give only words ------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("database is locked", LOCKED),
        ("database table is busy", LOCKED),
        ("database or disk is full", FULL),
        ("No space left on device", FULL),
        ("attempt to write a readonly database", READ_ONLY),
        ("UNIQUE constraint failed: dossiers.number", "Data ganda"),
        ("FOREIGN KEY constraint failed", "Data rujukan tidak ditemukan"),
        ("file is not a database", "Berkas basis data rusak atau bukan basis data Loket"),
        ("unable to open database file", "Basis data tidak dapat dibuka"),
        ("something else", "Kesalahan basis data: something else"),
    ],
)
def test_errors_by_their_words(words: str, expected: str) -> None:
    assert str(translate_error(RuntimeError(words))).startswith(expected)


def test_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOKET_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOKET_DATA_DIR", str(tmp_path / "data"))
    assert resolve_url() == f"sqlite:///{tmp_path / 'data' / 'loket.sqlite3'}"
    assert resolve_url(data_dir=tmp_path) == f"sqlite:///{tmp_path / 'loket.sqlite3'}"
    assert resolve_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("LOKET_DATABASE_URL", "postgresql://loket:rahasia@server/loket")
    assert resolve_url() == "postgresql://loket:rahasia@server/loket"
    assert resolve_url("sqlite:///a.db") == "sqlite:///a.db"  # --db beats the environment
    assert describe_url(resolve_url()) == "postgresql://loket:***@server/loket"


def test_a_malformed_url_is_refused() -> None:
    with pytest.raises(StorageError, match="Alamat basis data tidak sah"):
        Database("bukan alamat://")


@pytest.mark.parametrize("url", ["foo://bar", "http://example.com/x", "mysql://u:rahasia@host/x"])
def test_an_engine_loket_does_not_support_is_named_without_a_traceback(url: str) -> None:
    with pytest.raises(StorageError, match=r"SQLite .* atau PostgreSQL") as refused:
        Database(url)
    assert "rahasia" not in str(refused.value)  # the password is not shown


def test_a_postgresql_driver_loket_does_not_ship_is_named() -> None:
    with pytest.raises(StorageError, match="asyncpg tidak tersedia"):
        Database("postgresql+asyncpg://u@localhost/x")


def test_an_sqlite_uri_names_its_file_not_a_folder_called_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "data" / "loket.sqlite3"
    database = Database(f"sqlite:///file:{target}?mode=rwc&uri=true")
    try:
        assert database.sqlite_path == target
    finally:
        database.dispose()
    assert not (tmp_path / "file:").exists()
