"""The same storage on a real PostgreSQL server (started by ``tests/pg.py``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from loket.domain.dossier import Applicant
from loket.domain.sop import ApplicantKind
from loket.services.context import open_loket
from loket.storage import audit, migrate
from loket.storage.database import Database, DatabaseNotInitialised, DatabaseTooNew, StorageError
from loket.storage.store import Storage
from tests.storage import scenario
from tests.storage.support import AUDITOR, T0, Ticker, plain, sqlite_url
from tests.storage.test_counters import check_counted, run_concurrently
from tests.storage.test_migrations import schema_diffs

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    migrate.upgrade(db)
    try:
        yield db
    finally:
        db.dispose()


@pytest.mark.parametrize("scheme", ["postgresql+psycopg", "postgresql"])
def test_the_url_form(pg_url: str, scheme: str) -> None:
    """The documented form, and a plain postgresql:// that gets psycopg 3 too."""
    assert pg_url.startswith("postgresql+psycopg://postgres@/")
    assert "?host=" in pg_url and "&port=" in pg_url
    db = Database(pg_url.replace("postgresql+psycopg://", f"{scheme}://"))
    try:
        assert db.engine.dialect.name == "postgresql"
        assert db.engine.dialect.driver == "psycopg"
        assert db.is_sqlite is False and db.sqlite_path is None
        db.ping()
    finally:
        db.dispose()


def test_migrations_build_the_models_schema(pg_url: str) -> None:
    db = Database(pg_url)
    try:
        assert migrate.current_revision(db) is None
        with pytest.raises(DatabaseNotInitialised):
            migrate.require_current(db)
        assert migrate.upgrade(db) is True
        assert schema_diffs(db) == []
        assert migrate.upgrade(db) is False
        migrate.require_current(db)
    finally:
        db.dispose()


def test_two_programs_migrating_at_once(pg_url: str) -> None:
    """PostgreSQL has no BEGIN IMMEDIATE: an advisory lock makes the second one wait."""
    first, second = Database(pg_url), Database(pg_url)
    results: list[bool] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(db: Database) -> None:
        try:
            barrier.wait(10)
            results.append(migrate.upgrade(db))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(db,)) for db in (first, second)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert sorted(results) == [False, True]
        assert schema_diffs(first) == []
    finally:
        first.dispose()
        second.dispose()


def test_a_newer_database_is_refused(pg: Database) -> None:
    with pg.write() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    with pytest.raises(DatabaseTooNew, match="versi Loket yang lebih baru"):
        migrate.upgrade(pg)
    assert migrate.current_revision(pg) == "0099_future"


def test_a_dossiers_life_is_the_same_on_both_engines(pg_url: str, tmp_path: Path) -> None:
    on_sqlite = scenario.open_new(sqlite_url(tmp_path / "loket.sqlite3"), tmp_path)
    on_postgres = scenario.open_new(pg_url, tmp_path)
    try:
        expected = scenario.life(on_sqlite)
        assert scenario.life(on_postgres) == expected
        assert expected["final"]["permit"]["number"]
    finally:
        on_sqlite.close()
        on_postgres.close()
    # And it reads back the same after a restart.
    again = open_loket(pg_url, data_dir=tmp_path, clock=Ticker())
    try:
        fo = again.users.authenticate("fo", scenario.PASSWORD)
        number = expected["numbers"][0]
        assert plain(again.dossiers.search(fo, query=number)) == (expected["search_number"])
    finally:
        again.close()


def test_counters_and_audit_under_concurrent_writers(pg: Database, pg_url: str) -> None:
    """Two processes, 200 transactions each: distinct counter values, one sound chain.

    Each transaction also appends an audit entry: without the head row locked,
    two PostgreSQL transactions read the same head and both append the same seq.
    """
    results = run_concurrently(pg_url, "SOP68/2025/FO1")
    check_counted(results, pg)


def test_the_audit_chain_catches_tampering(pg: Database) -> None:
    with Storage(pg).writing() as store:
        for i in range(5):
            store.audit(
                at=T0,
                user=AUDITOR,
                action="test",
                entity="dossier",
                entity_id=str(i),
                before=None,
                after={"i": i},
            )
    with pg.read() as connection:
        assert audit.verify(connection) == audit.AuditReport(5, None)
    with pg.write() as connection:
        connection.execute(text("UPDATE audit_log SET after = '{}' WHERE seq = 3"))
    with pg.read() as connection:
        report = audit.verify(connection)
    assert report.problem is not None and report.problem.seq == 3
    with pg.write() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq >= 3"))
    with pg.read() as connection:
        report = audit.verify(connection)
    assert report.problem is not None
    assert (
        report.problem.message == "Entri audit 3 sampai 5 hilang (kepala rantai menunjuk entri 5)."
    )


def test_a_read_sees_one_snapshot(pg: Database) -> None:
    """REPEATABLE READ: another user's commit does not appear half-way through a read."""
    with pg.read() as reading:
        before = reading.execute(text("SELECT count(*) FROM settings")).scalar_one()
        with pg.write() as writing:
            writing.execute(text("INSERT INTO settings (key, value) VALUES ('k', '1')"))
        assert reading.execute(text("SELECT count(*) FROM settings")).scalar() == before
    with pg.read() as reading:
        assert reading.execute(text("SELECT count(*) FROM settings")).scalar() == before + 1


def test_a_duplicate_is_named_as_such(pg: Database) -> None:
    with pg.write() as connection:
        connection.execute(text("INSERT INTO settings (key, value) VALUES ('k', '1')"))
    duplicate = text("INSERT INTO settings (key, value) VALUES ('k', '2')")
    refused = pytest.raises(StorageError, match=r"^Data ganda: data yang sama sudah tersimpan")
    with refused, pg.write() as connection:
        connection.execute(duplicate)


def test_an_unreachable_server_is_named_as_such(pg_cluster: object, tmp_path: Path) -> None:
    db = Database(f"postgresql+psycopg://postgres@/nothing?host={tmp_path}&port=1")
    try:
        with pytest.raises(StorageError, match=r"^Basis data tidak dapat dibuka"):
            db.ping()
    finally:
        db.dispose()


def test_name_keys_compare_byte_wise(pg: Database) -> None:
    """A prefix range means "starts with" only in code-point order (migration 0002)."""
    with pg.engine.connect() as connection:
        collation = connection.execute(
            text(
                "SELECT collation_name FROM information_schema.columns "
                "WHERE table_name = 'applicants' AND column_name = 'name_key'"
            )
        ).scalar()
    assert collation == "C"
    names = ["Yohanes-Budi", "Yohanesa", "Yohanes Bala", "yohanes  bara", "Yohanes"]
    with Storage(pg).writing() as store:
        for name in names:
            store.add_applicant(Applicant(ApplicantKind.INDIVIDUAL, name, nik=""), T0)
    with Storage(pg).reading() as store:
        found = [a.name for _id, a in store.find_applicants("yohanes b")]
    # By name, and a space is not ignored: "Yohanes-Budi" and "Yohanesa" do not match.
    assert found == ["Yohanes Bala", "yohanes  bara"]
