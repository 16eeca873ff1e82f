"""A database from a newer Loket is refused untouched; a bare one asks for 'loket init'."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from loket.services.context import open_loket
from loket.storage import migrate
from loket.storage.database import Database, DatabaseNotInitialised, DatabaseTooNew
from tests.storage.support import sqlite_url

FUTURE = "0099_from_the_future"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


@pytest.fixture(params=["wal", "backup"])
def future_db(db_path: Path, request: pytest.FixtureRequest) -> Path:
    """A database whose schema a newer Loket wrote, closed.

    ``wal``: the newer program's own file (WAL mode, checkpointed at close).
    ``backup``: a copy made with VACUUM INTO, in rollback-journal mode, as a
    restored backup would be: switching it to WAL would rewrite its header.
    """
    db = Database(sqlite_url(db_path))
    migrate.upgrade(db)
    with db.write() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE})
        connection.execute(text("CREATE TABLE future_things (id INTEGER PRIMARY KEY)"))
    db.dispose()
    if request.param == "wal":
        return db_path
    backup = db_path.parent / "backup" / "loket.sqlite3"
    backup.parent.mkdir()
    with closing(sqlite3.connect(db_path)) as source:
        source.execute("VACUUM INTO ?", (str(backup),))
    with closing(sqlite3.connect(backup)) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    return backup


def test_a_newer_database_is_refused_and_left_byte_for_byte(future_db: Path) -> None:
    before, files = digest(future_db), siblings(future_db)
    db = Database(sqlite_url(future_db))
    try:
        for attempt in (migrate.upgrade, migrate.require_current, migrate.check_version):
            with pytest.raises(DatabaseTooNew) as refused:
                attempt(db)
            message = str(refused.value)
            assert "versi Loket yang lebih baru" in message
            assert FUTURE in message
            assert "basis data tidak diubah" in message
    finally:
        db.dispose()
    assert digest(future_db) == before
    assert siblings(future_db) == files


@pytest.mark.parametrize("create", [False, True])
def test_opening_loket_on_a_newer_database_is_refused(
    future_db: Path, tmp_path: Path, create: bool
) -> None:
    before = digest(future_db)
    with pytest.raises(DatabaseTooNew, match="Perbarui Loket"):
        open_loket(sqlite_url(future_db), data_dir=tmp_path, create=create)
    assert digest(future_db) == before


def test_an_empty_database_is_not_initialised(db_path: Path, tmp_path: Path) -> None:
    db = Database(sqlite_url(db_path))
    try:
        assert migrate.check_version(db) is None
        with pytest.raises(DatabaseNotInitialised, match="loket init"):
            migrate.require_current(db)
    finally:
        db.dispose()
    with pytest.raises(DatabaseNotInitialised, match="Basis data belum disiapkan"):
        open_loket(sqlite_url(db_path), data_dir=tmp_path)


def test_an_older_database_asks_for_an_upgrade(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with database.write() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
    # Pretend this program knows an older revision before its head.
    monkeypatch.setattr(migrate, "KNOWN_REVISIONS", ("0000_older", *migrate.KNOWN_REVISIONS))
    with pytest.raises(DatabaseNotInitialised, match="perlu diperbarui"):
        migrate.require_current(database)
