"""SQLite's safety settings are in force on every connection, and writes queue up front."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from loket.storage import database as database_module
from loket.storage.database import BUSY_TIMEOUT_MS, Database, StorageError
from loket.storage.store import Storage
from tests.storage.support import sqlite_url


def pragmas(connection: Connection) -> dict[str, object]:
    return {
        name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }


EXPECTED = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: a committed dossier survives a power cut
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


def test_every_connection_has_the_settings(database: Database) -> None:
    # Several connections open at once: each one is a new DBAPI connection.
    with ExitStack() as stack:
        connections = [stack.enter_context(database.engine.connect()) for _ in range(4)]
        for connection in connections:
            assert pragmas(connection) == EXPECTED
    with database.read() as connection:
        assert pragmas(connection) == EXPECTED
    with database.write() as connection:
        assert pragmas(connection) == EXPECTED


def test_the_settings_hold_on_a_brand_new_file(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "new" / "loket.sqlite3"))
    try:
        with db.read() as connection:
            assert pragmas(connection) == EXPECTED
    finally:
        db.dispose()


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(StorageError, match="Data rujukan tidak ditemukan"), database.write() as c:
        c.execute(
            text(
                "INSERT INTO businesses (id, applicant_id, name, kbli, kbli_edition, street, "
                "desa, kecamatan, kabupaten, province) "
                "VALUES ('b', 'no-such-applicant', 'x', '', '', '', '', '', '', '')"
            )
        )


def test_a_write_takes_the_lock_at_begin(database: Database) -> None:
    """BEGIN IMMEDIATE: with nothing written yet, another writer is already kept out."""
    path = database.sqlite_path
    assert path is not None
    other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    try:
        with database.write():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            # Readers are not blocked by a writer (WAL).
            assert other.execute("SELECT count(*) FROM users").fetchone() == (0,)
        other.execute("BEGIN IMMEDIATE")  # free again after the commit
        other.execute("ROLLBACK")
        # A read transaction does not take the write lock.
        with database.read():
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_second_writer_waits_instead_of_failing_half_way(
    db_path: Path, database: Database
) -> None:
    """Two read-then-write transactions: the second waits at BEGIN, then succeeds.

    With SQLite's default deferred BEGIN both would read, then the second one's
    first write would fail with "database is locked" at once (a deadlock SQLite
    refuses to wait for), losing the user's action half-way.
    """
    second_db = Database(sqlite_url(db_path))
    first_in = threading.Event()
    hold_s = 0.3
    values: dict[str, int] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with Storage(database).writing() as store:
                store.setting("x")  # a read
                first_in.set()
                time.sleep(hold_s)
                values["first"] = store.next_counter("c")  # then a write
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=first)
    try:
        thread.start()
        assert first_in.wait(10)
        started = time.monotonic()
        with Storage(second_db).writing() as store:
            waited = time.monotonic() - started
            store.setting("x")
            values["second"] = store.next_counter("c")
        thread.join(10)
        assert errors == []
        assert values == {"first": 1, "second": 2}
        assert waited >= hold_s / 2
    finally:
        thread.join(10)
        second_db.dispose()


def test_a_writer_held_too_long_gives_the_locked_message(
    db_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = database.sqlite_path
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 50)  # read at each connect
    impatient = Database(sqlite_url(db_path))
    try:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(StorageError, match="sedang dipakai proses lain"), impatient.write():
            pass
        assert time.monotonic() - started < 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        impatient.dispose()
